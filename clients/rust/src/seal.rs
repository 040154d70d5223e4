//! How the install's private key is written into the saved state: on Windows sealed with DPAPI
//! (`CryptProtectData`, bound to the Windows user account: a copy of `license.json` alone does not carry a
//! usable key to another account or machine), elsewhere as is (the file's 0600 permissions protect it).

const DPAPI_PREFIX: &str = "dpapi:";

fn b64(bytes: &[u8]) -> String {
    base64::encode_config(bytes, base64::URL_SAFE_NO_PAD)
}

/// The text to store for the PKCS#8 `secret`.
pub(crate) fn seal(secret: &[u8]) -> Option<String> {
    #[cfg(windows)]
    {
        Some(format!("{DPAPI_PREFIX}{}", b64(&dpapi::protect(secret)?)))
    }
    #[cfg(not(windows))]
    {
        Some(b64(secret))
    }
}

/// The PKCS#8 back from the stored text (a plain one is read on every platform).
pub(crate) fn unseal(text: &str) -> Option<Vec<u8>> {
    match text.strip_prefix(DPAPI_PREFIX) {
        #[cfg(windows)]
        Some(sealed) => dpapi::unprotect(&base64::decode_config(sealed, base64::URL_SAFE_NO_PAD).ok()?),
        #[cfg(not(windows))]
        Some(_) => None,
        None => base64::decode_config(text, base64::URL_SAFE_NO_PAD).ok(),
    }
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod dpapi {
    use std::ptr::null_mut;
    use winapi::um::dpapi::{CryptProtectData, CryptUnprotectData, CRYPTPROTECT_UI_FORBIDDEN};
    use winapi::um::winbase::LocalFree;
    use winapi::um::wincrypt::DATA_BLOB;

    fn call(input: &[u8], protect: bool) -> Option<Vec<u8>> {
        let mut data = input.to_vec();
        let mut blob_in = DATA_BLOB { cbData: data.len() as u32, pbData: data.as_mut_ptr() };
        let mut blob_out = DATA_BLOB { cbData: 0, pbData: null_mut() };
        // SAFETY: blob_in points at `data`, alive for the call; on success the system allocates
        // blob_out, which is copied and then freed with LocalFree as DPAPI requires.
        unsafe {
            let ok = if protect {
                CryptProtectData(&mut blob_in, null_mut(), null_mut(), null_mut(), null_mut(), CRYPTPROTECT_UI_FORBIDDEN, &mut blob_out)
            } else {
                CryptUnprotectData(&mut blob_in, null_mut(), null_mut(), null_mut(), null_mut(), CRYPTPROTECT_UI_FORBIDDEN, &mut blob_out)
            };
            if ok == 0 || blob_out.pbData.is_null() {
                return None;
            }
            let out = std::slice::from_raw_parts(blob_out.pbData, blob_out.cbData as usize).to_vec();
            LocalFree(blob_out.pbData as _);
            Some(out)
        }
    }

    pub(super) fn protect(secret: &[u8]) -> Option<Vec<u8>> {
        call(secret, true)
    }

    pub(super) fn unprotect(sealed: &[u8]) -> Option<Vec<u8>> {
        call(sealed, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_unseals_and_a_plain_one_still_reads() {
        let secret = b"pkcs8 bytes";
        let sealed = seal(secret).unwrap();
        assert_eq!(unseal(&sealed).unwrap(), secret);
        assert_eq!(sealed.starts_with(DPAPI_PREFIX), cfg!(windows), "DPAPI on Windows only");
        if cfg!(windows) {
            assert!(!sealed.contains(&b64(secret)), "the sealed text does not hold the key");
        }
        assert_eq!(unseal(&b64(secret)).unwrap(), secret);
        assert_eq!(unseal("dpapi:!!"), None);
    }
}
