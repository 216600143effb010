/**
 * Writing a built template to disk: the only file of this folder that does I/O.
 *
 * A file appears whole or not at all (written beside, then renamed), because
 * clerks may save a template straight into a watched drop folder; and an
 * existing file is never replaced unless asked, because it may be a
 * template someone already filled in.
 */
import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { csvTemplateText, notesText } from './csv-text.js';
import { TemplateError } from './errors.js';
import { notesFileName } from './file-name.js';
import type { TemplateFormat } from './file-name.js';
import type { TemplateSpec } from './spec.js';
import { templateWorkbook } from './xlsx-workbook.js';

export interface WrittenTemplate {
  /** The template itself. */
  file: string;
  /** For CSV only: the notes beside it (`….说明.txt`), which a CSV cannot hold. */
  notesFile?: string;
}

// A leading dot and a .tmp ending: matches no drop-folder name pattern, so a watcher never picks up half a file.
async function writeWhole(path: string, content: string | Buffer, overwrite: boolean): Promise<void> {
  if (!overwrite && existsSync(path)) throw new TemplateError('TEMPLATE_FILE_EXISTS', path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** The XLSX template as bytes, for a download instead of a file. */
export async function templateXlsx(spec: TemplateSpec): Promise<Buffer> {
  return Buffer.from(await (await templateWorkbook(spec)).xlsx.writeBuffer());
}

export async function writeTemplateSpec(
  spec: TemplateSpec,
  options: { format: TemplateFormat; outFile: string; overwrite?: boolean },
): Promise<WrittenTemplate> {
  const overwrite = options.overwrite ?? false;
  if (options.format === 'csv') {
    const notesFile = notesFileName(options.outFile);
    // Check both before writing either, so a refusal leaves no half pair behind.
    for (const path of [options.outFile, notesFile]) {
      if (!overwrite && existsSync(path)) throw new TemplateError('TEMPLATE_FILE_EXISTS', path);
    }
    await writeWhole(options.outFile, csvTemplateText(spec), overwrite);
    await writeWhole(notesFile, notesText(spec.notes), overwrite);
    return { file: options.outFile, notesFile };
  }
  const buffer = Buffer.from(await (await templateWorkbook(spec)).xlsx.writeBuffer());
  await writeWhole(options.outFile, buffer, overwrite);
  return { file: options.outFile };
}
