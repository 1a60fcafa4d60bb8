//! A small TCP load balancer for the tests, as a city puts one in front of several
//! okuri-approvald instances: each connection goes to the next instance in turn, and to the
//! one after when an instance does not accept (haproxy's `redispatch`). Bytes are copied both
//! ways until either side closes.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub struct Proxy {
    pub url: String,
    /// Connections sent to each backend, in the order given.
    pub sent: Arc<Vec<AtomicUsize>>,
}

impl Proxy {
    /// Listens on a free loopback port and spreads connections over `backends` (URLs such as
    /// `http://127.0.0.1:PORT`).
    pub fn start(backends: &[&str]) -> Proxy {
        let addrs: Vec<SocketAddr> = backends
            .iter()
            .map(|u| u.trim_start_matches("http://").parse().unwrap())
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let sent: Arc<Vec<AtomicUsize>> =
            Arc::new(addrs.iter().map(|_| AtomicUsize::new(0)).collect());
        let counts = Arc::clone(&sent);
        std::thread::spawn(move || {
            let next = AtomicUsize::new(0);
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let first = next.fetch_add(1, Ordering::Relaxed);
                let upstream = (0..addrs.len()).find_map(|i| {
                    let k = (first + i) % addrs.len();
                    TcpStream::connect_timeout(&addrs[k], Duration::from_secs(1))
                        .ok()
                        .map(|s| (k, s))
                });
                let Some((k, upstream)) = upstream else {
                    // No instance accepts: the client sees its connection closed.
                    continue;
                };
                counts[k].fetch_add(1, Ordering::Relaxed);
                pipe(client, upstream);
            }
        });
        Proxy { url, sent }
    }
}

/// Copies each side to the other on its own thread.
fn pipe(a: TcpStream, b: TcpStream) {
    // Each piece goes on at once, as a load balancer sends it: with Nagle's algorithm, a reply
    // written in two pieces would wait for the client's delayed ACK (40 ms).
    let _ = a.set_nodelay(true);
    let _ = b.set_nodelay(true);
    for (mut from, mut to) in [(a.try_clone().unwrap(), b.try_clone().unwrap()), (b, a)] {
        std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            loop {
                match from.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if to.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                }
            }
            let _ = to.shutdown(Shutdown::Write);
            let _ = from.shutdown(Shutdown::Read);
        });
    }
}
