//! A stable machine id: the OS's own id, hashed with the app's salt (so two apps, or this service, never
//! see the raw OS id, and ids of different apps do not link).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The OS id could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineIdError(pub String);

impl std::fmt::Display for MachineIdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no machine id: {}", self.0)
    }
}

impl std::error::Error for MachineIdError {}

/// 64 hex characters (the API takes 16–128): SHA-256 of `app_salt`, a NUL and the OS id (Linux
/// `/etc/machine-id`, macOS `IOPlatformUUID`, Windows `MachineGuid`).
pub fn machine_id(app_salt: &str) -> Result<String, MachineIdError> {
    Ok(machine_id_from(app_salt, &os_machine_id()?))
}

/// The hash [`machine_id`] applies, for an id read some other way.
pub fn machine_id_from(app_salt: &str, os_id: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(app_salt.as_bytes());
    hash.update([0u8]);
    hash.update(os_id.trim().as_bytes());
    hex::encode(hash.finalize())
}

fn non_empty(id: String, source: &str) -> Result<String, MachineIdError> {
    let id = id.trim().to_owned();
    if id.is_empty() {
        Err(MachineIdError(format!("{source} is empty")))
    } else {
        Ok(id)
    }
}

#[cfg(target_os = "linux")]
fn os_machine_id() -> Result<String, MachineIdError> {
    ["/etc/machine-id", "/var/lib/dbus/machine-id"]
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok().and_then(|id| non_empty(id, path).ok()))
        .ok_or_else(|| MachineIdError("/etc/machine-id is missing or empty".into()))
}

#[cfg(target_os = "macos")]
fn os_machine_id() -> Result<String, MachineIdError> {
    let out = command_output("/usr/sbin/ioreg", &["-rd1", "-c", "IOPlatformExpertDevice"])?;
    let line = out.lines().find(|l| l.contains("\"IOPlatformUUID\"")).unwrap_or_default();
    non_empty(line.rsplit('"').nth(1).unwrap_or_default().to_owned(), "IOPlatformUUID")
}

/// `HKLM\SOFTWARE\Microsoft\Cryptography\MachineGuid` through the registry API (the 64-bit view, also
/// from a 32-bit process): no `reg.exe` child, whose console window would flash in a GUI app.
#[cfg(windows)]
#[allow(unsafe_code)]
fn os_machine_id() -> Result<String, MachineIdError> {
    use winapi::shared::winerror::ERROR_SUCCESS;
    use winapi::um::winreg::{RegGetValueW, HKEY_LOCAL_MACHINE, RRF_RT_REG_SZ, RRF_SUBKEY_WOW6464KEY};
    let wide = |s: &str| s.encode_utf16().chain(std::iter::once(0)).collect::<Vec<u16>>();
    let (subkey, value) = (wide(r"SOFTWARE\Microsoft\Cryptography"), wide("MachineGuid"));
    let mut buffer = [0u16; 256];
    let mut bytes = (buffer.len() * 2) as u32;
    // Safe: both names are NUL-terminated, and `bytes` is the size of `buffer`, which the call fills at most.
    let status = unsafe {
        RegGetValueW(
            HKEY_LOCAL_MACHINE,
            subkey.as_ptr(),
            value.as_ptr(),
            RRF_RT_REG_SZ | RRF_SUBKEY_WOW6464KEY,
            std::ptr::null_mut(),
            buffer.as_mut_ptr().cast(),
            &mut bytes,
        )
    };
    if status != ERROR_SUCCESS as i32 {
        return Err(MachineIdError(format!("MachineGuid: registry error {status}")));
    }
    let len = (bytes as usize / 2).min(buffer.len());
    let text = String::from_utf16_lossy(&buffer[..len]);
    non_empty(text.trim_end_matches('\0').to_owned(), "MachineGuid")
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn os_machine_id() -> Result<String, MachineIdError> {
    Err(MachineIdError("unsupported OS".into()))
}

#[cfg(target_os = "macos")]
fn command_output(program: &str, args: &[&str]) -> Result<String, MachineIdError> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .map_err(|e| MachineIdError(format!("{program}: {e}")))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_stable_salted_and_the_length_the_api_takes() {
        let a = machine_id_from("simpl-resultat", "4c4c4544-0042-3510-8052-b4c04f4e4d32\n");
        assert_eq!(a, machine_id_from("simpl-resultat", "4c4c4544-0042-3510-8052-b4c04f4e4d32"));
        assert_ne!(a, machine_id_from("simpl-liste", "4c4c4544-0042-3510-8052-b4c04f4e4d32"));
        assert!((16..=128).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[cfg(windows)]
    #[test]
    fn on_windows_it_reads_machine_guid_from_the_registry() {
        let id = os_machine_id().expect("MachineGuid is readable");
        assert_eq!(id.len(), 36, "a GUID: {id}");
        assert_eq!(machine_id("app").unwrap(), machine_id_from("app", &id));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_it_reads_the_os_id_when_there_is_one() {
        if std::fs::read_to_string("/etc/machine-id").map_or(true, |s| s.trim().is_empty()) {
            eprintln!("no /etc/machine-id here: skipped");
            return;
        }
        assert_eq!(machine_id("app").unwrap(), machine_id("app").unwrap());
    }
}
