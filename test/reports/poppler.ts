import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * poppler-utils (Debian) reads the PDFs back the way a person's viewer would: text extraction
 * proves the Chinese is real text with a correct ToUnicode map, rasterizing proves it draws.
 */
function tool(name: 'pdftotext' | 'pdftoppm' | 'pdffonts' | 'pdfinfo'): string {
  const path = `/usr/bin/${name}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: install poppler-utils (apt-get install -y poppler-utils)`);
  return path;
}

export const pdfText = (file: string, layout = false): string =>
  execFileSync(tool('pdftotext'), [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });

export const pdfFonts = (file: string): string => execFileSync(tool('pdffonts'), [file], { encoding: 'utf8' });

export const pdfInfo = (file: string): string => execFileSync(tool('pdfinfo'), [file], { encoding: 'utf8' });

/** Renders one page to PNG; returns the PNG's path. */
export function pdfPageToPng(file: string, page: number, outPrefix: string, dpi = 80): string {
  execFileSync(tool('pdftoppm'), ['-r', String(dpi), '-png', '-singlefile', '-f', String(page), '-l', String(page), file, outPrefix]);
  return `${outPrefix}.png`;
}

/** Renders one page in 8-bit gray (PGM) and returns its pixels, for checks on where ink is. */
export function pdfPageGray(file: string, page: number, outPrefix: string, dpi = 40): { width: number; height: number; pixels: Buffer } {
  execFileSync(tool('pdftoppm'), ['-r', String(dpi), '-gray', '-singlefile', '-f', String(page), '-l', String(page), file, outPrefix]);
  const pgm = readFileSync(`${outPrefix}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error(`${outPrefix}.pgm is not an 8-bit PGM`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: pgm.subarray(header[0].length) };
}

/** Share of pixels darker than mid-grey in a region given as fractions of the page. */
export function inkShare(img: { width: number; height: number; pixels: Buffer }, region: { x0: number; y0: number; x1: number; y1: number }): number {
  let ink = 0;
  let n = 0;
  for (let y = Math.floor(region.y0 * img.height); y < Math.floor(region.y1 * img.height); y++)
    for (let x = Math.floor(region.x0 * img.width); x < Math.floor(region.x1 * img.width); x++) {
      n++;
      if (img.pixels[y * img.width + x]! < 128) ink++;
    }
  return n ? ink / n : 0;
}
