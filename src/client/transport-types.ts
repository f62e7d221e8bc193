/** One image picked on the device, before upload. */
export interface LocalImage {
  /** A temp path (weapp) or blob: URL (H5); usable as an Image src. */
  path: string;
  size: number;
  /** H5 only: the picked file, for re-encoding and upload. */
  blob?: Blob;
}

export interface UploadedFile {
  fileId: string;
  /** Displayable URL (or a cloud:// id that weapp's Image understands). */
  url: string;
}

/** The platform half of the client; transport.ts (H5) and transport.weapp.ts implement it. */
export interface Transport {
  /** Sends `{ action, input }` to the area's function; resolves with `data` or throws ApiError. */
  call(area: string, action: string, input: unknown): Promise<unknown>;
  chooseImages(count: number): Promise<LocalImage[]>;
  /** Shrinks a photo before upload (≤ 1600 px JPEG); returns the original when that fails. */
  compress(image: LocalImage): Promise<LocalImage>;
  upload(image: LocalImage, folder: string, onProgress: (percent: number) => void): Promise<UploadedFile>;
  /** Opens an exported file: a browser download on H5, openDocument on weapp. */
  openFile(url: string, fileName: string): Promise<void>;
  /** Where to send a person whose session expired; null when there is no sign-in page. */
  signInPage: string | null;
}
