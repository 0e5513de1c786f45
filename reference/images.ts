/**
 * Image sniffing. "Accept only real images" is decided on the bytes, never on the file name or
 * the declared content type, which the client controls (ASVS 5.0 5.2.2).
 */
export interface ImageKind {
  readonly extension: string;
  readonly contentType: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function isPng(bytes: Buffer): boolean {
  // The signature, then the first chunk must be a 13-byte IHDR with a non-zero size.
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
  if (bytes.readUInt32BE(8) !== 13 || bytes.toString('latin1', 12, 16) !== 'IHDR') return false;
  return bytes.readUInt32BE(16) > 0 && bytes.readUInt32BE(20) > 0;
}

function isJpeg(bytes: Buffer): boolean {
  const n = bytes.length;
  return n >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff && bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9;
}

function isGif(bytes: Buffer): boolean {
  const magic = bytes.toString('latin1', 0, 6);
  return bytes.length >= 14 && (magic === 'GIF87a' || magic === 'GIF89a') && bytes[bytes.length - 1] === 0x3b;
}

function isWebp(bytes: Buffer): boolean {
  return bytes.length >= 16 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP';
}

const KINDS: ReadonlyArray<{ test: (bytes: Buffer) => boolean; kind: ImageKind }> = [
  { test: isPng, kind: { extension: 'png', contentType: 'image/png' } },
  { test: isJpeg, kind: { extension: 'jpg', contentType: 'image/jpeg' } },
  { test: isGif, kind: { extension: 'gif', contentType: 'image/gif' } },
  { test: isWebp, kind: { extension: 'webp', contentType: 'image/webp' } },
];

export function sniffImage(bytes: Buffer): ImageKind | undefined {
  return KINDS.find((k) => k.test(bytes))?.kind;
}

/** Never accepted: SVG carries script. Only the upload-accepts-svg fault stores it. */
export const SVG: ImageKind = { extension: 'svg', contentType: 'image/svg+xml' };

/** The kind a client claims with the part's content type: only the upload faults believe it. */
export function declaredKind(contentType: string): ImageKind | undefined {
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return [...KINDS.map((k) => k.kind), SVG].find((kind) => kind.contentType === essence);
}

/** What a non-image is stored as when the upload-accepts-non-image fault lets it through. */
export const OPAQUE_FILE: ImageKind = { extension: 'bin', contentType: 'application/octet-stream' };
