import { AppError } from '../errors';
import { MODEL_KINDS, type TrainedModel } from './pipeline';

/** A trained pipeline as JSON text (a file the analyst can keep and load again). */
export function serializeModel(model: TrainedModel): string {
  return JSON.stringify(model);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a model file written by {@link serializeModel}; refuses anything else with a message
 * saying what is wrong (not JSON, another format or version, a missing part).
 */
export function parseModel(text: string, fileName = 'the file'): TrainedModel {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new AppError('bad-input', `${fileName} is not a model file (not JSON): ${(err as Error).message}.`, { cause: err, file: fileName });
  }
  if (!isObject(data) || data.format !== 'clientele-model') {
    throw new AppError('bad-input', `${fileName} is not a Clientele model file (no "format": "clientele-model"). Save a model from the Predict room and load that file.`, { file: fileName });
  }
  if (data.version !== 1) throw new AppError('bad-input', `${fileName} is a model file of version ${String(data.version)}; this app reads version 1.`, { file: fileName });
  const m = data as unknown as TrainedModel;
  const problems: string[] = [];
  if (m.task !== 'classification' && m.task !== 'regression') problems.push('task');
  if (typeof m.target !== 'string') problems.push('target');
  if (!Array.isArray(m.classes) || (m.task === 'classification' && m.classes.length < 2)) problems.push('classes');
  if (!Array.isArray(m.inputs) || m.inputs.some((c) => !isObject(c) || typeof c.name !== 'string' || (c.kind !== 'numeric' && c.kind !== 'categorical'))) problems.push('inputs');
  if (!isObject(m.preprocess) || !Array.isArray(m.preprocess.columns) || !Array.isArray(m.preprocess.featureNames)) problems.push('preprocess');
  if (!isObject(m.model) || !MODEL_KINDS.some((k) => k.kind === m.model.kind)) problems.push('model');
  if (problems.length) throw new AppError('bad-input', `${fileName} is damaged: its ${problems.join(', ')} ${problems.length > 1 ? 'are' : 'is'} missing or invalid.`, { file: fileName });
  return m;
}

/**
 * Checks that a table has every input column a model needs, with the same kind (number or
 * text); throws naming the missing or mismatched columns.
 */
export function checkModelColumns(model: TrainedModel, available: { name: string; kind: 'numeric' | 'categorical' }[], table: string): void {
  const byName = new Map(available.map((c) => [c.name, c.kind]));
  const missing = model.inputs.filter((c) => !byName.has(c.name)).map((c) => c.name);
  if (missing.length) {
    throw new AppError('invalid-argument', `${table} lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that the model "${model.label}" was trained with; pick a table that has ${missing.length > 1 ? 'them' : 'it'}.`, { column: missing[0] });
  }
  const wrong = model.inputs.filter((c) => byName.get(c.name) !== c.kind);
  if (wrong.length) {
    const c = wrong[0];
    throw new AppError('invalid-argument', `column ${c.name} of ${table} is ${byName.get(c.name) === 'numeric' ? 'numeric' : 'text'}, but the model was trained on it as ${c.kind === 'numeric' ? 'a number' : 'text'}; convert it or pick another table.`, { column: c.name });
  }
}
