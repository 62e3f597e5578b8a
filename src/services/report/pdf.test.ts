import { describe, expect, it } from 'vitest';
import { findChromium, pdfPageCount } from './pdf.js';

describe('printing the report to PDF', () => {
  it('says where it looked, what it expected and what to do when Chromium is missing', () => {
    expect(() => findChromium('/nowhere/chromium')).toThrow(
      /report --pdf: expected a Chromium executable at \/nowhere\/chromium \(from the chromium option\), found no such file\. Install Chromium \(Debian\/Ubuntu: apt-get install chromium\) or point CLIENTELE_CHROMIUM at it/,
    );
    const saved = process.env.CLIENTELE_CHROMIUM;
    process.env.CLIENTELE_CHROMIUM = '/nowhere/else';
    try {
      expect(() => findChromium()).toThrow(/at \/nowhere\/else \(from CLIENTELE_CHROMIUM\)/);
    } finally {
      if (saved === undefined) delete process.env.CLIENTELE_CHROMIUM;
      else process.env.CLIENTELE_CHROMIUM = saved;
    }
  });

  it('counts the page objects of a PDF, not the page tree', () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R] /Count 2>> endobj\n2 0 obj <</Type /Page>> endobj\n3 0 obj <</Type/Page>> endobj\n',
      'latin1',
    );
    expect(pdfPageCount(pdf)).toBe(2);
  });
});
