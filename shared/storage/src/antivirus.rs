//! A client of ClamAV's daemon (`clamd`), for files that come from outside (the
//! public portal). It speaks clamd's `INSTREAM` command over TCP: the file is sent
//! in chunks, each prefixed by its length, and clamd answers `stream: OK` or
//! `stream: <signature> FOUND`. Nothing is written to clamd's disk.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

/// What clamd said of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// The name of the signature that matched.
    Infected(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("clamd at {address} cannot be reached: {detail}")]
    Unreachable { address: String, detail: String },
    #[error("clamd gave an answer that is not a verdict: {0}")]
    Answer(String),
    #[error("the file could not be read for scanning: {0}")]
    Read(std::io::Error),
}

/// The size of each chunk sent to clamd (well under its `StreamMaxLength`).
const CHUNK: usize = 64 * 1024;

/// How long a scan may take before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A clamd daemon listening on TCP.
#[derive(Debug, Clone)]
pub struct Clamd {
    address: String,
}

impl Clamd {
    /// `host:port`, e.g. `127.0.0.1:3310`.
    pub fn new(address: &str) -> Self {
        Self {
            address: address.trim_start_matches("tcp://").to_owned(),
        }
    }

    /// Streams `content` to clamd and returns its verdict.
    pub async fn scan(&self, content: impl AsyncRead + Unpin) -> Result<Verdict, ScanError> {
        tokio::time::timeout(TIMEOUT, self.scan_within(content))
            .await
            .unwrap_or_else(|_| {
                Err(ScanError::Unreachable {
                    address: self.address.clone(),
                    detail: "no verdict within a minute".to_owned(),
                })
            })
    }

    async fn scan_within(&self, mut content: impl AsyncRead + Unpin) -> Result<Verdict, ScanError> {
        let unreachable = |e: std::io::Error| ScanError::Unreachable {
            address: self.address.clone(),
            detail: e.to_string(),
        };
        let mut socket = tokio::net::TcpStream::connect(&self.address)
            .await
            .map_err(unreachable)?;
        socket
            .write_all(b"zINSTREAM\0")
            .await
            .map_err(unreachable)?;
        let mut buffer = vec![0u8; CHUNK];
        loop {
            let read = content.read(&mut buffer).await.map_err(ScanError::Read)?;
            let length = u32::try_from(read).unwrap_or(u32::MAX).to_be_bytes();
            socket.write_all(&length).await.map_err(unreachable)?;
            if read == 0 {
                break;
            }
            socket
                .write_all(&buffer[..read])
                .await
                .map_err(unreachable)?;
        }
        let mut answer = Vec::new();
        socket.read_to_end(&mut answer).await.map_err(unreachable)?;
        verdict(&String::from_utf8_lossy(&answer))
    }
}

/// Reads clamd's answer: `stream: OK`, `stream: <name> FOUND`, or an error.
fn verdict(answer: &str) -> Result<Verdict, ScanError> {
    let answer = answer.trim_end_matches(['\0', '\n']).trim();
    let Some(result) = answer.strip_prefix("stream: ") else {
        return Err(ScanError::Answer(answer.to_owned()));
    };
    if result == "OK" {
        return Ok(Verdict::Clean);
    }
    match result.strip_suffix(" FOUND") {
        Some(name) => Ok(Verdict::Infected(name.to_owned())),
        None => Err(ScanError::Answer(answer.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read() {
        assert_eq!(verdict("stream: OK\0").ok(), Some(Verdict::Clean));
        assert_eq!(
            verdict("stream: Eicar-Test-Signature FOUND\0").ok(),
            Some(Verdict::Infected("Eicar-Test-Signature".to_owned()))
        );
        assert!(verdict("INSTREAM size limit exceeded. ERROR\0").is_err());
    }
}
