import readXlsxFile from 'read-excel-file/universal';
import { AppError } from '../errors';
import { columnsToIPC, dedupeColumnNames } from './arrow-build';

/** One worksheet as Arrow IPC. */
export interface SheetIPC {
  sheet: string;
  ipc: Uint8Array;
  rows: number;
  renamed: string[];
}

/**
 * Every non-empty sheet of an .xlsx workbook → Arrow IPC (each sheet becomes a table). The first
 * row is the header when all its cells are text; otherwise columns are named column0, column1…
 * Reader: read-excel-file (maintained, no known advisories; see README for the choice).
 */
export async function xlsxToIPC(bytes: Uint8Array, fileName: string): Promise<SheetIPC[]> {
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (!isZip) {
    const text = bytes.subarray(0, 512).every((b) => b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x20);
    throw new AppError(
      'bad-input',
      `${fileName} is not an Excel workbook: an .xlsx file is a zip archive and this one is not` +
        (text ? ' (it holds text: if it is a CSV, rename it to .csv and load it again).' : '. Open it in Excel or LibreOffice and save it as .xlsx or CSV.'),
      { file: fileName },
    );
  }
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    sheets = (await readXlsxFile(buffer)) as unknown as { sheet: string; data: unknown[][] }[];
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const what = /unzip/i.test(detail)
      ? 'is damaged or truncated: its zip container cannot be opened (the copy or download may have stopped early)'
      : /look like|workbook|content_types/i.test(detail)
        ? 'is a zip archive but holds no Excel workbook'
        : `could not be read as an Excel workbook (${detail.slice(0, 200)})`;
    throw new AppError(
      'bad-input',
      `${fileName} ${what}. Open it in Excel or LibreOffice and save it again as .xlsx or CSV, then load that.`,
      { cause: err, file: fileName },
    );
  }
  const out: SheetIPC[] = [];
  for (const { sheet, data } of sheets) {
    const rows = data.filter((r) => r.some((v) => v !== null && v !== undefined && v !== ''));
    if (rows.length === 0) continue;
    const width = Math.max(...rows.map((r) => r.length));
    const first = rows[0];
    const hasHeader = rows.length > 1 && first.every((v) => v === null || typeof v === 'string');
    const rawNames = hasHeader
      ? Array.from({ length: width }, (_, i) => (first[i] == null ? '' : String(first[i])))
      : Array.from({ length: width }, (_, i) => `column${i}`);
    const { names, renamed } = dedupeColumnNames(rawNames);
    const body = hasHeader ? rows.slice(1) : rows;
    const columns = names.map((name, c) => ({ name, values: body.map((r) => r[c] ?? null) }));
    out.push({ sheet, ipc: columnsToIPC(columns), rows: body.length, renamed });
  }
  if (out.length === 0) {
    throw new AppError('empty-file', `${fileName} has no sheet with data: every sheet is blank. Check that you saved the right workbook.`, { file: fileName });
  }
  return out;
}
