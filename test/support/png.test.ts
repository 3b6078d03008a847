import { deflateSync } from 'node:zlib';
import { pngSize, readPngText } from './png';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(640, 0);
header.writeUInt32BE(480, 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('tEXt', Buffer.from('Source-SHA256\0abc123', 'latin1')),
  chunk('zTXt', Buffer.concat([Buffer.from('Title\0\0', 'latin1'), deflateSync(Buffer.from('offndat / API'))])),
  chunk('iTXt', Buffer.from('Description\0\0\0en\0\0Zażółć', 'utf8')),
  chunk('IEND', Buffer.alloc(0)),
]);

describe('PNG metadata', () => {
  it('reads the size and every kind of text chunk', () => {
    expect(pngSize(png)).toEqual({ width: 640, height: 480 });
    expect(readPngText(png)).toEqual({ 'Source-SHA256': 'abc123', Title: 'offndat / API', Description: 'Zażółć' });
  });

  it('refuses what is not a PNG', () => {
    expect(() => readPngText(Buffer.from('GIF89a'))).toThrow('not a PNG');
  });
});
