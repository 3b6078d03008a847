import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The width and height in a PNG's header. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The text metadata of a PNG (tEXt, zTXt and iTXt chunks), by keyword. */
export function readPngText(png: Buffer): Record<string, string> {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  const text: Record<string, string> = {};
  let at = 8;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    const keywordEnd = data.indexOf(0);
    const keyword = data.toString('latin1', 0, Math.max(keywordEnd, 0));
    if (type === 'tEXt') text[keyword] = data.toString('latin1', keywordEnd + 1);
    if (type === 'zTXt') text[keyword] = inflateSync(data.subarray(keywordEnd + 2)).toString('latin1');
    if (type === 'iTXt') {
      // keyword \0 compressed-flag method language \0 translated keyword \0 text
      const compressed = data[keywordEnd + 1] === 1;
      const languageEnd = data.indexOf(0, keywordEnd + 3);
      const translatedEnd = data.indexOf(0, languageEnd + 1);
      const body = data.subarray(translatedEnd + 1);
      text[keyword] = (compressed ? inflateSync(body) : body).toString('utf8');
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return text;
}
