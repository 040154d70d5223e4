import { bodyLimit } from "hono/body-limit";
import { AppError } from "../errors";

/** Hono's limit (>= 4.12.16 also counts chunked bodies without Content-Length), answered as problem+json. */
export const limitBody = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError("payload_too_large", `The request body is larger than ${maxSize} bytes.`);
    },
  });
