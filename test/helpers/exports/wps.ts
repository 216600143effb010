/**
 * An .xlsx as WPS 表格 (Kingsoft, the office suite on most government desks)
 * saves it: exceljs writes the sheets, then the parts WPS writes differently
 * are rewritten: docProps/app.xml names WPS 表格, docProps/custom.xml carries
 * KSOProductBuildVer, and dates use the CJK built-in number formats by id
 * (31 = yyyy"年"m"月"d"日", 14 = yyyy/m/d in a zh-CN locale) with no
 * numFmt element of their own, so a reader must know the built-in ids.
 */
import yauzl from 'yauzl';
import { zip, type ZipPart } from '../../connectors/files/zip-writer.js';

export const WPS_BUILD = '2052-12.1.0.16729';

/** Custom formats WPS saves as the zh-CN built-ins. */
const BUILT_IN: Record<string, number> = {
  'yyyy"年"m"月"d"日"': 31,
  'yyyy/m/d': 14,
  'yyyy"年"m"月"': 57,
  'm"月"d"日"': 58,
};

const APP = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>WPS 表格</Application><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>工作表</vt:lpstr></vt:variant><vt:variant><vt:i4>%COUNT%</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="%COUNT%" baseType="lpstr">%TITLES%</vt:vector></TitlesOfParts></Properties>`;

const CUSTOM = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr>${WPS_BUILD}</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="ICV"><vt:lpwstr>3F2A6C1B0E9D4F7A8B5C2D1E0F9A8B7C</vt:lpwstr></property></Properties>`;

export function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      const parts = new Map<string, Buffer>();
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return file.readEntry();
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            parts.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.on('end', () => resolve(parts));
      file.on('error', reject);
      file.readEntry();
    });
  });
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

export function wpsStyles(styles: string): string {
  let out = styles;
  for (const m of styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"\/>/g)) {
    const builtIn = BUILT_IN[unescape(m[2]!)];
    if (builtIn === undefined) continue;
    out = out.replace(m[0], '').replaceAll(`<xf numFmtId="${m[1]}" `, `<xf numFmtId="${builtIn}" `);
  }
  return out.replace(/<numFmts count="\d+">(.*?)<\/numFmts>/, (_, inner: string) => {
    const count = (inner.match(/<numFmt /g) ?? []).length;
    return count ? `<numFmts count="${count}">${inner}</numFmts>` : '';
  });
}

export async function wpsRewrite(xlsx: Buffer): Promise<Buffer> {
  const parts = await unzip(xlsx);
  const text = (name: string) => parts.get(name)!.toString('utf8');
  const sheetNames = [...text('xl/workbook.xml').matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => m[1]!);
  parts.set('docProps/app.xml', Buffer.from(APP.replaceAll('%COUNT%', String(sheetNames.length)).replace('%TITLES%', sheetNames.map((n) => `<vt:lpstr>${n}</vt:lpstr>`).join(''))));
  parts.set('docProps/custom.xml', Buffer.from(CUSTOM));
  parts.set('[Content_Types].xml', Buffer.from(text('[Content_Types].xml').replace('</Types>',
    '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')));
  parts.set('_rels/.rels', Buffer.from(text('_rels/.rels').replace('</Relationships>',
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>')));
  parts.set('xl/styles.xml', Buffer.from(wpsStyles(text('xl/styles.xml'))));
  // WPS orders the package's parts its own way: content types first, then docProps, then xl/.
  const order = (n: string) => (n === '[Content_Types].xml' ? 0 : n.startsWith('_rels/') ? 1 : n.startsWith('docProps/') ? 2 : 3);
  const names = [...parts.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return zip(names.map((name): ZipPart => ({ name, data: parts.get(name)! })));
}
