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

/** An .xls file is parsed whole, in a worker thread bounded by these. */
export interface XlsLimits {
  /** Bytes on disk; BIFF8 holds at most 65 536 rows a sheet, so a real export stays far below. */
  maxBytes: number;
  /** Heap of the parsing worker, in MiB; past it the worker is ended, not the gateway. */
  maxHeapMb: number;
  /** Time the worker may take to parse; past it the worker is ended. */
  maxMillis: number;
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
  xls: XlsLimits;
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
  xls: Object.freeze({ maxBytes: 64 * 1024 * 1024, maxHeapMb: 512, maxMillis: 120_000 }),
});

export function fileLimits(
  overrides: Partial<Omit<FileLimits, 'zip' | 'xls'>> & { zip?: Partial<ZipLimits>; xls?: Partial<XlsLimits> } = {},
): FileLimits {
  return {
    ...DEFAULT_FILE_LIMITS,
    ...overrides,
    zip: { ...DEFAULT_FILE_LIMITS.zip, ...overrides.zip },
    xls: { ...DEFAULT_FILE_LIMITS.xls, ...overrides.xls },
  };
}
