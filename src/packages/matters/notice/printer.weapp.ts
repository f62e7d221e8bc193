/** WeChat cannot print: the page offers the .xlsx of the same sheet instead. */
export const canPrint = false;

export function printSheet(): void {
  // Not reached: the print button is not shown in WeChat.
}
