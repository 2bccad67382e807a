//! Benchmark (not a test) of the editor's budget (SPEC 1, "editor on save"):
//! how long `glosslint lsp` takes from a `didChange` of one ~5 KB entry to
//! its `publishDiagnostics`, against a 100k-entry corpus.
//!
//! ```text
//! cargo build --release && cargo run --release --example lsp_latency -- [--entries 100000] [--rounds 20]
//! ```
//!
//! The corpus comes from `examples/gen_corpus.rs` (files layout) when that
//! generator exists, else from a simple generator here; it is written once to
//! `target/lsp-latency/<entries>/` and reused. The server is
//! `target/release/glosslint` (`--bin PATH` to pick another). The probe is the
//! entry nearest 5 KB, padded with prose to 5 KB in the editor buffer. Each
//! round waits 100 ms first, as a person pausing between edits does: changes
//! arriving closer together than 50 ms are coalesced by design, so a burst is
//! not what is measured. Printed: indexing time, then the median, 90th
//! percentile and maximum of the rounds, for a body edit and for an edit of
//! the term (which re-checks every open document), and completion after `[[`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Args {
    entries: usize,
    rounds: usize,
    bin: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        entries: 100_000,
        rounds: 20,
        bin: manifest.join("target/release/glosslint"),
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--entries" => args.entries = value.parse().map_err(|_| "bad --entries")?,
            "--rounds" => args.rounds = value.parse().map_err(|_| "bad --rounds")?,
            "--bin" => args.bin = PathBuf::from(value),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

/// Writes the corpus once; returns its root.
fn corpus(entries: usize) -> Result<PathBuf, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join(format!("target/lsp-latency/{entries}"));
    let done = root.join(".complete");
    if done.exists() {
        return Ok(root);
    }
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).map_err(|e| e.to_string())?;
    if manifest.join("examples/gen_corpus.rs").exists() {
        eprintln!("generating {entries} entries with examples/gen_corpus.rs ...");
        let status = Command::new(env!("CARGO"))
            .current_dir(manifest)
            .args([
                "run",
                "--quiet",
                "--release",
                "--example",
                "gen_corpus",
                "--",
            ])
            .args([
                "--entries",
                &entries.to_string(),
                "--seed",
                "7",
                "--layout",
                "files",
            ])
            .arg("--out")
            .arg(&root)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("gen_corpus failed".into());
        }
    } else {
        eprintln!("generating {entries} simple entries ...");
        simple_corpus(&root, entries).map_err(|e| e.to_string())?;
    }
    std::fs::write(done, "").map_err(|e| e.to_string())?;
    Ok(root)
}

/// One entry per file, each with a few links to others (one in a hundred
/// broken), under `entries/NNN/`.
fn simple_corpus(root: &Path, entries: usize) -> std::io::Result<()> {
    std::fs::write(
        root.join("glosslint.toml"),
        "[files]\nentries = [\"entries/**/*.md\"]\n",
    )?;
    for index in 0..entries {
        let folder = root.join(format!("entries/{:03}", index / 1000));
        if index % 1000 == 0 {
            std::fs::create_dir_all(&folder)?;
        }
        let link = |n: usize| {
            if n % 100 == 7 {
                format!("[[missing term {n}]]")
            } else {
                format!("[[term {}]]", n % entries)
            }
        };
        let mut body = format!(
            "---\nterm: term {index}\ntags: [generated]\n---\n**Term {index}** is a generated entry that links to {} and {}.\n\n## Details\n\n",
            link(index * 7 + 1),
            link(index * 13 + 5)
        );
        for paragraph in 0..(index % 5 + 1) {
            body.push_str(&format!(
                "Paragraph {paragraph} of entry {index} explains the idea in enough words to count as prose for the length rule and more.\n\n"
            ));
        }
        std::fs::write(folder.join(format!("term-{index}.md")), body)?;
    }
    Ok(())
}

/// The entry file whose size is closest to 5 KB.
fn probe_file(root: &Path) -> Option<PathBuf> {
    let mut best: Option<(u64, PathBuf)> = None;
    let mut stack = vec![root.join("entries")];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for item in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = item.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let size = item.metadata().ok()?.len();
                let distance = size.abs_diff(5_000);
                if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                    best = Some((distance, path));
                }
                seen += 1;
                if seen > 5_000 {
                    return best.map(|(_, path)| path);
                }
            }
        }
    }
    best.map(|(_, path)| path)
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: mpsc::Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start(bin: &Path, root: &Path) -> Self {
        let mut child = Command::new(bin)
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if stdout.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(message) = serde_json::from_slice::<Value>(&body) else {
                return;
            };
            if sender.send(message).is_err() {
                return;
            }
        });
        Self {
            child,
            stdin,
            incoming,
            next_id: 0,
        }
    }

    fn write(&mut self, message: Value) {
        let body = serde_json::to_string(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.write(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.write(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Waits for a message that `matches`, answering the server's requests.
    fn wait(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .incoming
                .recv_timeout(Duration::from_secs(600))
                .expect("the server answers within 10 minutes");
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.write(json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            if matches(&message) {
                return message;
            }
        }
    }
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display()).replace(' ', "%20")
}

fn stats(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!(
        "median {:.2} ms, p90 {:.2} ms, max {:.2} ms ({} rounds)",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(*samples.last().unwrap()),
        samples.len()
    )
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("lsp_latency: {message}");
            std::process::exit(2);
        }
    };
    if !args.bin.exists() {
        eprintln!(
            "lsp_latency: {} is missing; run `cargo build --release` first",
            args.bin.display()
        );
        std::process::exit(2);
    }
    let root = corpus(args.entries).unwrap_or_else(|e| panic!("corpus: {e}"));
    let probe = probe_file(&root).expect("an entry file");
    // Padded to 5 KB with prose when the nearest entry is smaller.
    let mut original = std::fs::read_to_string(&probe).unwrap();
    while original.len() < 5_120 {
        original.push_str(
            "\nThe padding paragraph describes the practice in plain words, with no links, so that the probe entry reaches five kilobytes.\n",
        );
    }
    let uri = file_uri(&probe);
    let mut server = Server::start(&args.bin, &root);
    let started = Instant::now();
    let id = server.send_request(
        "initialize",
        json!({"processId": null, "rootUri": file_uri(&root), "capabilities": {"window": {"workDoneProgress": true}}}),
    );
    server.wait(|m| m["id"] == json!(id) && m.get("method").is_none());
    server.notify("initialized", json!({}));
    let end = server.wait(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    println!(
        "indexed: {} in {:.2} s",
        end["params"]["value"]["message"].as_str().unwrap_or(""),
        started.elapsed().as_secs_f64()
    );
    println!(
        "probe: {} ({} bytes)",
        probe.strip_prefix(&root).unwrap_or(&probe).display(),
        original.len()
    );
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": original}}),
    );
    let first = server.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(uri)
    });
    println!(
        "findings in the probe: {}",
        first["params"]["diagnostics"]
            .as_array()
            .map_or(0, Vec::len)
    );
    let mut version = 1;
    let mut measure = |server: &mut Server, edit: &dyn Fn(usize) -> String| {
        let mut samples = Vec::new();
        for round in 0..args.rounds {
            std::thread::sleep(Duration::from_millis(100));
            version += 1;
            let text = edit(round);
            let sent = Instant::now();
            server.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
            );
            let wanted = version;
            server.wait(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == json!(uri)
                    && m["params"]["version"] == json!(wanted)
            });
            samples.push(sent.elapsed());
        }
        samples
    };
    // A body edit: one word typed at the end of the text.
    let body = measure(&mut server, &|round| {
        format!("{}\nEdited {round} times.\n", original.trim_end())
    });
    println!(
        "didChange -> publishDiagnostics, body edit: {}",
        stats(body)
    );
    // A term edit: other entries see it, so every open document is re-checked.
    let term = measure(&mut server, &|round| {
        original.replacen("term: ", &format!("term: renamed {round} "), 1)
    });
    println!(
        "didChange -> publishDiagnostics, term edit: {}",
        stats(term)
    );
    // Completion after `[[` over every term.
    let mut samples = Vec::new();
    let lines = original.lines().count() as u32;
    for round in 0..args.rounds {
        version += 1;
        let text = format!("{}\nSee [[pro\n", original.trim_end());
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        let sent = Instant::now();
        let id = server.send_request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": lines, "character": 9}}),
        );
        let reply = server.wait(|m| m["id"] == json!(id) && m.get("method").is_none());
        samples.push(sent.elapsed());
        if round == 0 {
            println!(
                "completion items for `[[pro`: {}",
                reply["result"]["items"].as_array().map_or(0, Vec::len)
            );
        }
    }
    println!(
        "completion after `[[` (with the change before it): {}",
        stats(samples)
    );
    let id = server.send_request("shutdown", Value::Null);
    server.wait(|m| m["id"] == json!(id) && m.get("method").is_none());
    server.notify("exit", Value::Null);
    let _ = server.child.wait();
}
