/**
 * How much of a dropped file the readers accept. Every limit bounds memory
 * or disk: a file over one is refused with a reason, never read further.
 */
export interface ZipLimits {
  /** Entries in the archive; a workbook has a few dozen. */
  maxEntries: number;
  /** Declared uncompressed bytes of all entries together (shared strings are held in memory, up to this). */
  maxUncompressedBytes: number;
  /** Uncompressed/compressed ratio allowed for an entry larger than ratioFloorBytes. */
  maxRatio: number;
  /** Entries smaller than this may compress as well as they like. */
  ratioFloorBytes: number;
}

export interface FileLimits {
  /** Bytes on disk. */
  maxFileBytes: number;
  /** Columns of the header row. */
  maxColumns: number;
  /** Characters of one cell; 32 767 is Excel's own limit, so a real spreadsheet never exceeds it. */
  maxCellChars: number;
  /** UTF-8 bytes of one CSV record or NDJSON line (after decoding), the most a reader buffers. */
  maxRowBytes: number;
  zip: ZipLimits;
}

export const DEFAULT_FILE_LIMITS: Readonly<FileLimits> = Object.freeze({
  maxFileBytes: 512 * 1024 * 1024,
  maxColumns: 256,
  maxCellChars: 32_767,
  maxRowBytes: 4 * 1024 * 1024,
  zip: Object.freeze({
    maxEntries: 1000,
    maxUncompressedBytes: 256 * 1024 * 1024,
    // Sheet XML of a template with thousands of formatted empty rows deflates around 100:1; bombs go far beyond.
    maxRatio: 500,
    ratioFloorBytes: 4 * 1024 * 1024,
  }),
});

export function fileLimits(overrides: Partial<Omit<FileLimits, 'zip'>> & { zip?: Partial<ZipLimits> } = {}): FileLimits {
  return { ...DEFAULT_FILE_LIMITS, ...overrides, zip: { ...DEFAULT_FILE_LIMITS.zip, ...overrides.zip } };
}
