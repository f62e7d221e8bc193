/** The files port: photos and exports. Adapters: local.ts (disk) and cloudbase.ts (cloud storage). */

export interface StoredFile {
  /** Opaque id handed to clients and stored in documents. */
  fileId: string;
  ownerOpenid: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export interface FilesPort {
  /** Stores bytes for `ownerOpenid`; the caller has already checked type and size. */
  put(bytes: Buffer, meta: { ownerOpenid: string; contentType: string; ext: string; folder: string }): Promise<StoredFile>;
  /** Metadata of a stored file, or null. */
  stat(fileId: string): Promise<StoredFile | null>;
  read(fileId: string): Promise<Buffer | null>;
  /** A URL the client can display (local host route or CloudBase temp URL). */
  urls(fileIds: string[]): Promise<Record<string, string>>;
}
