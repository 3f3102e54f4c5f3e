//! A real SMTP server for tests: it listens on a local port, speaks enough
//! of RFC 5321 for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps
//! what it receives. It can refuse messages to test retries and failures.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::ReceivedMail;

/// How the server answers DATA (or RCPT for a permanent refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Accept,
    /// `451` for the first `n` messages, then accept.
    DeferFirst(usize),
    /// `550` on every recipient.
    RejectRecipients,
}

pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl SmtpSink {
    pub async fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP sink");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let deferred = Arc::new(Mutex::new(0usize));
        let store = received.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { return };
                let (store, deferred) = (store.clone(), deferred.clone());
                tokio::spawn(async move {
                    let _ = session(socket, behaviour, store, deferred).await;
                });
            }
        });
        Self { port, received }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.received.lock().unwrap().iter().map(|raw| ReceivedMail::parse(raw)).collect()
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    behaviour: Behaviour,
    store: Arc<Mutex<Vec<Vec<u8>>>>,
    deferred: Arc<Mutex<usize>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if command.starts_with("HELO") || command.starts_with("MAIL FROM") || command.starts_with("RSET") || command.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO") {
            if behaviour == Behaviour::RejectRecipients { b"550 5.1.1 No such user\r\n" } else { b"250 OK\r\n" }
        } else if command == "DATA" {
            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            let mut message = Vec::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Undo dot-stuffing.
                let content = line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line);
                message.extend_from_slice(content.as_bytes());
            }
            let defer = match behaviour {
                Behaviour::DeferFirst(n) => {
                    let mut count = deferred.lock().unwrap();
                    *count += 1;
                    *count <= n
                }
                _ => false,
            };
            if defer {
                b"451 4.3.0 Try again later\r\n"
            } else {
                store.lock().unwrap().push(message);
                b"250 OK: queued\r\n"
            }
        } else if command == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            b"502 Command not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}
