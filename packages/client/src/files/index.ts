export { type MultipartBody, multipartBody, type UploadData } from "../http/multipart.js";
export {
  type DocumentInput,
  Documents,
  FileInputError,
  type FileResource,
  type FileResourceDomain,
  FileStorageError,
  Files,
  FileTooLargeError,
  type UploadOptions,
} from "./files.js";
