import { describe, expect, it } from 'vitest';
import { openShop } from '../../../test/support/tiny-shop.js';
import { featureParams, featuresSql } from '../features/index.js';
import { fieldEntry, fieldLabel, LANGUAGES } from './field-labels.js';

describe('field dictionary', () => {
  it('has a label, unit and description in five languages for every column of the feature view', async () => {
    const engine = await openShop();
    try {
      const params = await featureParams(engine, '2024-06-30');
      const [row] = await engine.query(featuresSql(engine.dialect, params));
      const columns = Object.keys(row ?? {});
      expect(columns.length).toBeGreaterThan(70);
      expect(columns.some((c) => c.startsWith('share_cat_'))).toBe(true);
      const missing: string[] = [];
      for (const column of columns)
        for (const lang of LANGUAGES) {
          const entry = fieldEntry(column, lang);
          if (!entry?.label || !entry.description || !entry.unitLabel) missing.push(`${column} (${lang})`);
        }
      expect(missing).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('labels differ by language and never read as the raw key', () => {
    expect(fieldEntry('repeat_order_days', 'en')?.label).toBe('repeat purchases');
    expect(fieldEntry('repeat_order_days', 'nl')?.label).toBe('herhaalaankopen');
    expect(fieldEntry('consent_email', 'ru')?.label).toBe('согласие на e-mail');
    expect(fieldEntry('account_age_days', 'de')?.description).toBe(
      'Tage von der Kontoanlage bis zum Stichtag',
    );
    expect(fieldEntry('share_cat_shoes', 'fr')?.label).toBe('part du CA en shoes');
    expect(fieldEntry('area_median_income', 'nl')?.unitLabel).toBe('bedrag');
    expect(fieldLabel('occupation', 'fr')).toBe('profession');
    expect(fieldEntry('no_such_field', 'en')).toBeNull();
  });
});
