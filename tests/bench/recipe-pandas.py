"""The pandas side of tests/bench/cases/recipe.ts: the same cleaning steps on the same CSV.

Usage: python3 recipe-pandas.py seed|orders PATH RUNS
Prints one JSON object: per-run seconds for read_csv and for the cleaning, the rows and columns
kept, and `checks`: aggregates of the cleaned frame (sums, value counts) that the TypeScript side
compares with the same aggregates of its cleaned table.
"""
import json
import sys
import time

import numpy as np
import pandas as pd

VARIANTS = {
    'north': 'North', 'North ': 'North', 'NORTH': 'North', 'Nrth': 'North',
    'south': 'South', 'Soth': 'South', ' South': 'South',
    'east': 'East', 'East ': 'East', 'EAST': 'East',
    'west': 'West', 'Wets': 'West', 'WEST': 'West',
}
CODES = {'North': 1, 'South': 2, 'East': 3, 'West': 4}


def seed_clean(df):
    # The seed notebook's cleaning: mean-fill age, region to codes 1..4, category dtype, standardize.
    df['age'] = df['age'].fillna(df['age'].mean())
    df['region'] = df['region'].replace(VARIANTS).map(CODES)
    df['gender'] = df['gender'].astype('category').cat.codes.replace(-1, np.nan)
    df['age'] = (df['age'] - df['age'].mean()) / df['age'].std()
    return df


def orders_clean(df):
    df = df.drop_duplicates()
    df['channel'] = df['channel'].str.lower()
    df['region'] = df['region'].fillna(df['region'].mode()[0])
    df['payment'] = df['payment'].fillna('unknown')
    df['order_date'] = pd.to_datetime(df['order_date'], format='%Y-%m-%d %H:%M:%S', errors='coerce')
    q1, q3 = df['amount'].quantile([0.25, 0.75])
    df['amount'] = df['amount'].clip(q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1))
    df['amount_z'] = (df['amount'] - df['amount'].mean()) / df['amount'].std()
    df = pd.concat([df.drop(columns=['category']), pd.get_dummies(df['category'], prefix='category', dtype='int32')], axis=1)
    df['revenue'] = df['amount'] * df['quantity'] * (1 - df['discount'])
    df = df[~df['returned']]
    return df


def checks(which, df):
    """A few aggregates of the cleaned frame; tests/bench/cases/recipe.ts computes the same in SQL."""
    out = {'rows': len(df)}
    def counts(col):
        for value, n in df[col].value_counts(dropna=False).items():
            out[f'{col}={"null" if pd.isna(value) else (int(value) if isinstance(value, float) else value)}'] = int(n)
    if which == 'seed':
        out.update(id_sum=df['id'].sum(), age_sum=df['age'].sum(), age_abs=df['age'].abs().sum(), age_sq=(df['age'] ** 2).sum(),
                   name_count=df['name'].notna().sum(), email_chars=df['email'].str.len().sum())
        counts('region')
        counts('gender')
    else:
        out.update(order_id_sum=df['order_id'].sum(), quantity_sum=df['quantity'].sum(), amount_sum=df['amount'].sum(),
                   amount_z_sum=df['amount_z'].sum(), amount_z_abs=df['amount_z'].abs().sum(), amount_z_sq=(df['amount_z'] ** 2).sum(), revenue_sum=df['revenue'].sum(),
                   order_date_min=df['order_date'].min().timestamp(), order_date_max=df['order_date'].max().timestamp(),
                   returned=df['returned'].sum())
        for c in df.columns:
            if c.startswith('category_'):
                out[c] = df[c].sum()
        for c in ('channel', 'region', 'payment'):
            counts(c)
    return {k: float(v) for k, v in out.items()}


def main():
    which, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    clean = seed_clean if which == 'seed' else orders_clean
    out = {'load': [], 'clean': [], 'pandas': pd.__version__}
    for _ in range(runs):
        t0 = time.perf_counter()
        # Both readers type order_date while loading (DuckDB's sniffer does it by itself).
        df = pd.read_csv(path, parse_dates=['order_date'] if which == 'orders' else None)
        t1 = time.perf_counter()
        df = clean(df)
        t2 = time.perf_counter()
        out['load'].append(t1 - t0)
        out['clean'].append(t2 - t1)
        out['rows'] = int(len(df))
        out['columns'] = int(len(df.columns))
        out['checks'] = checks(which, df)
        del df
    print(json.dumps(out))


main()
