import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Writes one worksheet to an `.xlsx` file with exceljs's streaming WorkbookWriter (rows are committed
 * one by one, never held together), then pins every ZIP entry's timestamp so the file is byte-identical
 * for the same rows: exceljs stamps each entry with the current time and offers no option for it.
 */
export async function writeXlsx(
  path: string,
  sheetName: string,
  header: readonly string[],
  rows: Iterable<readonly (string | number | null)[]>,
  options: { created: Date; columnWidths?: readonly number[] },
): Promise<number> {
  // exceljs reads created/modified/creator from the options at runtime; its typings omit them.
  const writerOptions = {
    filename: path,
    useSharedStrings: true,
    useStyles: true,
    created: options.created,
    modified: options.created,
    creator: 'Clientele demo generator',
    lastModifiedBy: 'Clientele demo generator',
  };
  // exceljs takes ~250 ms to load: loaded on first use, so commands that never touch Excel start faster.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter(writerOptions);
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = header.map((h, i) => ({ header: h, key: h, width: options.columnWidths?.[i] ?? 14 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let count = 0;
  for (const row of rows) {
    sheet.addRow([...row]).commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  pinZipTimestamps(path, DOS_EPOCH_2000);
  return count;
}

/** 2000-01-01 00:00 in MS-DOS date/time format (date << 16 | time). */
const DOS_EPOCH_2000 = ((2000 - 1980) << 25) | (1 << 21) | (1 << 16);

/**
 * Rewrites the modification time of every entry (central directory and local headers) of a ZIP file.
 * Walks the central directory from the end-of-central-directory record; throws on anything unexpected.
 */
export function pinZipTimestamps(path: string, dosDateTime: number): void {
  const fd = openSync(path, 'r+');
  try {
    const tailSize = 65557;
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(tailSize, size));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${path}: not a ZIP file (no end-of-central-directory record)`);
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    readSync(fd, cd, 0, cdSize, cdOffset);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt16LE(dosDateTime & 0xffff, 0);
    stamp.writeUInt16LE(dosDateTime >>> 16, 2);
    let p = 0;
    for (let e = 0; e < entries; e++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${e}`);
      stamp.copy(cd, p + 12);
      const localOffset = cd.readUInt32LE(p + 42);
      const sig = Buffer.alloc(4);
      readSync(fd, sig, 0, 4, localOffset);
      if (sig.readUInt32LE(0) !== 0x04034b50) throw new Error(`${path}: bad local header for entry ${e}`);
      writeSync(fd, stamp, 0, 4, localOffset + 10);
      p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    writeSync(fd, cd, 0, cdSize, cdOffset);
  } finally {
    closeSync(fd);
  }
}
