/**
 * .xls (BIFF8, Excel 97–2003; what WPS and many national systems export)
 * as a Workbook. SheetJS (@e965/xlsx) parses the whole file at once, which
 * is fine for a format capped at 65 536 rows a sheet but not something to
 * do on the gateway's event loop with a hostile file: it runs in a worker
 * thread (xls-worker.ts) with a capped heap and a time limit. A worker that
 * runs out of either is ended and the file refused (FILE_XLS_TOO_COMPLEX);
 * the gateway carries on.
 *
 * Only an OLE2 compound file is handed to SheetJS: given anything else it
 * would happily read an HTML page or plain text "saved as .xls" as a sheet.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { siblingWorker } from '../worker-module.js';
import { FileError } from './file-error.js';
import { pagesOf } from './file-table.js';
import type { FileLimits } from './limits.js';
import type { OpenedFile } from './safe-open.js';
import type { GridRow, SheetGrid, SheetInfo, Workbook } from './workbook.js';
import type { XlsReply, XlsRequest, XlsSheet } from './xls-worker.js';

/** The signature of an OLE2 compound file, the container of every .xls. */
export const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export async function openXlsWorkbook(file: OpenedFile, options: { limits: FileLimits; pageSize: number }): Promise<Workbook> {
  const { limits } = options;
  if (file.size > limits.xls.maxBytes) throw new FileError('FILE_TOO_LARGE', { bytes: file.size, limit: limits.xls.maxBytes });
  // Its own ArrayBuffer (not Buffer's shared pool), so it can be moved to the worker instead of copied.
  const bytes = new Uint8Array(file.size);
  const { bytesRead } = await file.handle.read(bytes, 0, file.size, 0);
  if (bytesRead < CFB_MAGIC.length || !CFB_MAGIC.equals(bytes.subarray(0, CFB_MAGIC.length))) {
    throw new FileError('FILE_XLS_INVALID', { problem: 'not an Excel 97-2003 file' });
  }
  const reply = await parseInWorker({ bytes: bytes.subarray(0, bytesRead), maxCellChars: limits.maxCellChars }, limits);
  if (!reply.ok) throw new FileError(reply.code, { problem: reply.problem });
  return xlsWorkbook(reply.sheets, options.pageSize);
}

function xlsWorkbook(parsed: XlsSheet[], pageSize: number): Workbook {
  const sheets: SheetInfo[] = parsed.map((s, index) => ({ name: s.name, index, hidden: s.hidden }));
  let closed = false;
  return {
    format: 'xls',
    encoding: null,
    sheets,
    async sheet(index) {
      if (closed) throw new Error('the workbook is closed');
      const sheet = parsed[index];
      if (!sheet) throw new RangeError(`no sheet ${index}`);
      return sheetGrid(sheets[index]!, sheet, pageSize);
    },
    async close() {
      closed = true;
      parsed.length = 0;
    },
  };
}

function sheetGrid(info: SheetInfo, sheet: XlsSheet, pageSize: number): SheetGrid {
  return {
    info,
    hiddenColumns: new Set(sheet.hiddenColumns),
    merges: sheet.merges,
    rows: () => {
      let next = 0;
      return pagesOf<GridRow>(async () => sheet.rows[next++] ?? null, pageSize);
    },
  };
}

function parseInWorker(request: XlsRequest, limits: FileLimits): Promise<Extract<XlsReply, { ok: boolean }>> {
  const resourceLimits: ResourceLimits = { maxOldGenerationSizeMb: limits.xls.maxHeapMb, maxYoungGenerationSizeMb: Math.min(64, limits.xls.maxHeapMb) };
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = siblingWorker(import.meta.url, 'xls-worker', { workerData: { xls: request }, resourceLimits, transferList: [request.bytes.buffer as ArrayBuffer] });
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new FileError('FILE_XLS_TOO_COMPLEX', { problem: 'time', limit: limits.xls.maxMillis })));
    }, limits.xls.maxMillis);
    worker.once('message', (reply: XlsReply) => settle(() => resolve(reply)));
    worker.once('error', (err: Error & { code?: string }) => {
      settle(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new FileError('FILE_XLS_TOO_COMPLEX', { problem: 'memory', limit: limits.xls.maxHeapMb }, { cause: err })
            : new FileError('FILE_XLS_INVALID', { problem: err.message.slice(0, 200) }, { cause: err }),
        ),
      );
    });
    worker.once('exit', (code) => settle(() => reject(new FileError('FILE_XLS_INVALID', { problem: `the reader stopped (${code})` }))));
  });
}

