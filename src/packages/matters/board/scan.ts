/** H5: no camera scanning; the board offers a text field for the code instead. */
export const canScan = false;

export async function scanText(): Promise<string | null> {
  return null;
}
