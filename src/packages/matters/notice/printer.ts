/** H5: the browser prints the sheet (A4, see index.scss @page and @media print). */
export const canPrint = true;

export function printSheet(): void {
  window.print();
}
