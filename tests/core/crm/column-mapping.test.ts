import { describe, expect, it } from 'vitest';
import { suggestColumnMapping } from '../../../src/core/crm/column-mapping';

describe('suggestColumnMapping', () => {
  it('maps the demo orders table and its order lines', () => {
    const s = suggestColumnMapping([
      { name: 'order_id', type: 'BIGINT' },
      { name: 'customer_id', type: 'BIGINT' },
      { name: 'order_date', type: 'TIMESTAMP' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'channel', type: 'VARCHAR' },
      { name: 'product', type: 'VARCHAR' },
      { name: 'category', type: 'VARCHAR' },
    ]);
    expect(s.mapping).toEqual({ customer: 'customer_id', date: 'order_date', amount: 'amount', orderId: 'order_id', product: 'product', category: 'category' });
    expect(s.complete).toBe(true);
  });

  it('reads the Online Retail layout (InvoiceNo, StockCode, InvoiceDate, UnitPrice, CustomerID)', () => {
    const s = suggestColumnMapping([
      { name: 'InvoiceNo', type: 'VARCHAR' },
      { name: 'StockCode', type: 'VARCHAR' },
      { name: 'Description', type: 'VARCHAR' },
      { name: 'Quantity', type: 'BIGINT' },
      { name: 'InvoiceDate', type: 'TIMESTAMP' },
      { name: 'UnitPrice', type: 'DOUBLE' },
      { name: 'CustomerID', type: 'DOUBLE' },
      { name: 'Country', type: 'VARCHAR' },
    ]);
    expect(s.mapping.customer).toBe('CustomerID');
    expect(s.mapping.date).toBe('InvoiceDate');
    expect(s.mapping.amount).toBe('UnitPrice');
    expect(s.mapping.orderId).toBe('InvoiceNo');
    expect(s.mapping.product).toBe('StockCode');
  });

  it('never maps a column by name when its type cannot play the role', () => {
    const s = suggestColumnMapping([
      { name: 'customer', type: 'VARCHAR' },
      { name: 'date', type: 'BOOLEAN' },
      { name: 'amount', type: 'VARCHAR' },
    ]);
    expect(s.mapping.date).toBeNull();
    expect(s.mapping.amount).toBeNull();
    expect(s.complete).toBe(false);
  });

  it('finds a date by type when no name says so, and a date kept as text by name', () => {
    expect(suggestColumnMapping([{ name: 'created', type: 'DATE' }]).mapping.date).toBe('created');
    expect(suggestColumnMapping([{ name: 'purchase_date', type: 'VARCHAR' }]).mapping.date).toBe('purchase_date');
  });
});
