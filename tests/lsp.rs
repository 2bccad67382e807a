//! `glosslint lsp` driven over stdio as an editor drives it: Content-Length
//! framed JSON-RPC in, responses and notifications out, each read with a
//! timeout so that a hang fails the test instead of blocking it.

mod common;

use common::project;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: mpsc::Receiver<Value>,
    /// Messages read while waiting for something else, oldest first.
    backlog: Vec<Value>,
    /// Requests the server sent to the client (answered with `null`).
    server_requests: Vec<Value>,
    next_id: i64,
    root: PathBuf,
}

impl Client {
    /// Starts the server in `root` and initializes it with every client
    /// capability the server looks at.
    fn start(root: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_glosslint"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("glosslint starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = None;
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
                    length = value.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.expect("a Content-Length header")];
            if stdout.read_exact(&mut body).is_err() {
                return;
            }
            let message: Value = serde_json::from_slice(&body).expect("JSON from the server");
            if sender.send(message).is_err() {
                return;
            }
        });
        let mut client = Self {
            child,
            stdin,
            incoming,
            backlog: Vec::new(),
            server_requests: Vec::new(),
            next_id: 0,
            root: root.to_path_buf(),
        };
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": client.uri(""),
                "workspaceFolders": [{"uri": client.uri(""), "name": "glossary"}],
                "capabilities": {
                    "window": {"workDoneProgress": true},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                    "textDocument": {"publishDiagnostics": {"relatedInformation": true}}
                }
            }),
        );
        assert_eq!(result["serverInfo"]["name"], "glosslint");
        assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
        client.notify("initialized", json!({}));
        client
    }

    fn uri(&self, relative: &str) -> String {
        let path = self.root.join(relative);
        format!("file://{}", path.display()).replace(' ', "%20")
    }

    fn write(&mut self, message: Value) {
        let body = serde_json::to_string(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends bytes as they are, framed or not.
    fn write_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.write(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result (panics on an error response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.write(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("the response to {method}"), |message| {
            message.get("method").is_none() && message["id"] == json!(id)
        })
    }

    /// Reads one message, answering the server's own requests on the way.
    fn read(&mut self, deadline: Instant, what: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        let message = self.incoming.recv_timeout(left).unwrap_or_else(|_| {
            panic!(
                "no {what} within {TIMEOUT:?}; unmatched so far: {:#?}",
                self.backlog
            )
        });
        if message.get("method").is_some() && message.get("id").is_some() {
            let id = message["id"].clone();
            self.server_requests.push(message.clone());
            self.write(json!({"jsonrpc": "2.0", "id": id, "result": null}));
        }
        message
    }

    /// The oldest message (read earlier or now) that `matches`.
    fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&matches) {
            return self.backlog.remove(at);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.read(deadline, what);
            if matches(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The next diagnostics published for `relative` (with at least
    /// `version`, when given).
    fn diagnostics(&mut self, relative: &str, version: Option<i64>) -> Vec<Value> {
        let uri = self.uri(relative);
        let message = self.wait_for(&format!("diagnostics for {relative}"), |message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == json!(uri)
                && version.is_none_or(|v| message["params"]["version"].as_i64() >= Some(v))
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, relative: &str, text: &str) -> Vec<Value> {
        let uri = self.uri(relative);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
        self.diagnostics(relative, Some(1))
    }

    fn change(&mut self, relative: &str, version: i64, text: &str) {
        let uri = self.uri(relative);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn at(&self, relative: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": self.uri(relative)}, "position": {"line": line, "character": character}})
    }

    /// Drops every message read so far.
    fn forget(&mut self) {
        self.backlog.clear();
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit status after shutdown: {status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const CONFIG: &str = "[files]\nentries = [\"entries/**/*.md\"]\n\n[rules]\nshort-body = \"off\"\n";
const BASE: &str = "---\nterm: Base\naliases: [alkali]\n---\nA base accepts protons in a reaction.\n\n## Uses\n\nBases neutralize acids in scrubbers.\n";
const ACID_GAS: &str =
    "---\nterm: Acid Gas\n---\nAcid gas is removed with [[Base|a base]], see [[Base#Uses]].\n";
const SCRUBBER: &str =
    "---\nterm: Scrubber\nsee_also: [Base, \"Base#Uses\"]\n---\nA scrubber uses [[base]] solutions.\n";

fn glossary() -> tempfile::TempDir {
    project(&[
        ("glosslint.toml", CONFIG),
        ("entries/base.md", BASE),
        ("entries/acid-gas.md", ACID_GAS),
        ("entries/scrubber.md", SCRUBBER),
    ])
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn utf16(text: &str) -> u64 {
    text.encode_utf16().count() as u64
}

#[test]
fn indexing_progress_diagnostics_debounce_watched_files_and_shutdown() {
    let dir = glossary();
    let mut client = Client::start(dir.path());
    // Progress: the token is created, then begin, report(s), end.
    let create = client.wait_for("window/workDoneProgress/create", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    let token = create["params"]["token"].clone();
    let mut kinds = Vec::new();
    while kinds.last().map(String::as_str) != Some("end") {
        let progress = client.wait_for("$/progress", |m| m["method"] == "$/progress");
        assert_eq!(progress["params"]["token"], token);
        kinds.push(
            progress["params"]["value"]["kind"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(kinds.first().map(String::as_str), Some("begin"));
    assert!(kinds.iter().any(|k| k == "report"), "{kinds:?}");
    // Watched files are registered dynamically.
    client.wait_for("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    let registration = client
        .server_requests
        .iter()
        .find(|m| m["method"] == "client/registerCapability")
        .unwrap()["params"]["registrations"][0]
        .clone();
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert!(
        globs.contains(&"**/*.md") && globs.contains(&"**/*.txt"),
        "{globs:?}"
    );

    // A broken reference, as typed (the file on disk does not exist yet).
    let memory = "---\nterm: Memory Saving\n---\nTrade compute for memory with [[gradient checkpointing]].\n";
    let found = client.open("entries/memory.md", memory);
    assert_eq!(codes(&found), ["broken-reference"], "{found:#?}");
    let broken = &found[0];
    assert_eq!(broken["source"], "glosslint");
    assert_eq!(broken["severity"], 1);
    let line = "Trade compute for memory with ";
    assert_eq!(
        broken["range"]["start"],
        json!({"line": 3, "character": utf16(line)})
    );
    assert_eq!(
        broken["range"]["end"]["character"],
        utf16(line) + utf16("[[gradient checkpointing]]")
    );

    // Fixing it in the buffer clears it.
    client.change(
        "entries/memory.md",
        2,
        &memory.replace("gradient checkpointing", "Base"),
    );
    assert_eq!(
        client.diagnostics("entries/memory.md", Some(2)),
        Vec::<Value>::new()
    );

    // A burst of changes is coalesced: the last text wins, and fewer checks
    // run than changes arrived.
    client.forget();
    for version in 3..=12 {
        let text = memory.replace("gradient checkpointing", &format!("missing {version}"));
        client.change("entries/memory.md", version, &text);
    }
    let last = client.diagnostics("entries/memory.md", Some(12));
    assert!(
        last[0]["message"].as_str().unwrap().contains("missing 12"),
        "{last:#?}"
    );
    let published = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .count();
    assert!(published < 9, "{published} publishes for 10 changes");

    // A file created outside the editor joins the index.
    let other = "---\nterm: Recompute\n---\nSee [[activation recomputation]].\n";
    let found = client.open("entries/recompute.md", other);
    assert_eq!(codes(&found), ["broken-reference"]);
    std::fs::write(
        dir.path().join("entries/activation-recomputation.md"),
        "---\nterm: Activation Recomputation\n---\nRecompute activations in the backward pass.\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": client.uri("entries/activation-recomputation.md"), "type": 1}]}),
    );
    assert_eq!(
        client.diagnostics("entries/recompute.md", None),
        Vec::<Value>::new()
    );
    // ... and leaves it when deleted.
    std::fs::remove_file(dir.path().join("entries/activation-recomputation.md")).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": client.uri("entries/activation-recomputation.md"), "type": 3}]}),
    );
    assert_eq!(
        codes(&client.diagnostics("entries/recompute.md", None)),
        ["broken-reference"]
    );

    // A document outside the `[files]` globs (a README) is left alone.
    let readme = client.open("README.md", "# Readme\n\nSee [[nothing at all]].\n");
    assert_eq!(readme, Vec::<Value>::new());

    // Saving checks again; closing clears the document's diagnostics.
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": client.uri("entries/recompute.md")}}),
    );
    assert_eq!(
        codes(&client.diagnostics("entries/recompute.md", None)),
        ["broken-reference"]
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": client.uri("entries/recompute.md")}}),
    );
    assert_eq!(
        client.diagnostics("entries/recompute.md", None),
        Vec::<Value>::new()
    );
    client.shutdown();
}

#[test]
fn an_edit_to_one_entry_republishes_the_open_entries_it_affects() {
    let dir = glossary();
    let mut client = Client::start(dir.path());
    assert_eq!(
        codes(&client.open("entries/acid-gas.md", ACID_GAS)),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&client.open("entries/scrubber.md", SCRUBBER)),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&client.open("entries/base.md", BASE)),
        Vec::<String>::new()
    );
    client.forget();
    // Base takes the term of Scrubber: both now duplicate each other, and the
    // links to Base break (the alias `alkali` still resolves).
    client.change(
        "entries/base.md",
        2,
        &BASE.replace("term: Base", "term: Scrubber"),
    );
    let base = client.diagnostics("entries/base.md", Some(2));
    assert_eq!(codes(&base), ["duplicate-term"]);
    let related = &base[0]["relatedInformation"][0];
    assert_eq!(
        related["location"]["uri"],
        json!(client.uri("entries/scrubber.md"))
    );
    assert_eq!(
        related["location"]["range"]["start"],
        json!({"line": 1, "character": 6})
    );
    let scrubber = client.diagnostics("entries/scrubber.md", None);
    let mut found = codes(&scrubber);
    found.sort();
    assert_eq!(
        found,
        [
            "broken-reference",
            "broken-reference",
            "broken-reference",
            "duplicate-term"
        ],
        "{scrubber:#?}"
    );
    let acid = client.diagnostics("entries/acid-gas.md", None);
    assert_eq!(
        codes(&acid),
        ["broken-reference", "broken-reference"],
        "{acid:#?}"
    );
    // Back to Base: every one of them is clean again.
    client.change("entries/base.md", 3, BASE);
    assert_eq!(
        client.diagnostics("entries/base.md", Some(3)),
        Vec::<Value>::new()
    );
    assert_eq!(
        client.diagnostics("entries/scrubber.md", None),
        Vec::<Value>::new()
    );
    assert_eq!(
        client.diagnostics("entries/acid-gas.md", None),
        Vec::<Value>::new()
    );
    // Renaming the heading breaks only the anchor.
    client.change(
        "entries/base.md",
        4,
        &BASE.replace("## Uses", "## Applications"),
    );
    client.diagnostics("entries/base.md", Some(4));
    let acid = client.diagnostics("entries/acid-gas.md", None);
    assert_eq!(codes(&acid), ["broken-anchor"]);
    assert!(acid[0]["message"].as_str().unwrap().contains("#Uses"));
    client.shutdown();
}

#[test]
fn code_actions_utf16_positions_and_crlf_documents() {
    let dir = glossary();
    let mut client = Client::start(dir.path());
    // Safe and unsafe fixes, and "disable for this line" with the indentation.
    let text = "---\nterm: Fixes\n---\n- Outer item here.\n  - Inner item with the the word.\n\nThe value $eta_2$ is small.\n";
    let found = client.open("entries/fixes.md", text);
    let mut found_codes = codes(&found);
    found_codes.sort();
    assert_eq!(found_codes, ["math-escape", "repeated-word"], "{found:#?}");
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": client.uri("entries/fixes.md")},
            "range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 30}},
            "context": {"diagnostics": []}
        }),
    );
    let actions = actions.as_array().unwrap();
    let uri = client.uri("entries/fixes.md");
    let fix = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Fix repeated-word")
        })
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "repeated-word");
    let edit = &fix["edit"]["changes"][&uri][0];
    assert_eq!(edit["range"]["start"]["line"], 4);
    let disable = actions
        .iter()
        .find(|a| a["title"] == "Disable repeated-word for this line")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let edit = &disable["edit"]["changes"][&uri][0];
    assert_eq!(edit["range"]["start"], json!({"line": 4, "character": 0}));
    assert_eq!(
        edit["newText"],
        "  <!-- glosslint-disable-next-line repeated-word -->\n"
    );
    // Applying it silences the finding (and the comment is used).
    let silenced = text.replace(
        "  - Inner",
        "  <!-- glosslint-disable-next-line repeated-word -->\n  - Inner",
    );
    client.change("entries/fixes.md", 2, &silenced);
    assert_eq!(
        codes(&client.diagnostics("entries/fixes.md", Some(2))),
        ["math-escape"]
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": client.uri("entries/fixes.md")},
            "range": {"start": {"line": 7, "character": 11}, "end": {"line": 7, "character": 11}},
            "context": {"diagnostics": []}
        }),
    );
    let unsafe_fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("(unsafe) Fix math-escape")
        })
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(unsafe_fix["isPreferred"], false);

    // UTF-16 columns: `√` and `—` are three bytes each but one unit each.
    let line = "The √ of 4 — two°, see ";
    let text = format!("---\nterm: Roots\n---\n{line}[[nowhere]] and [[Base#Uses]].\n");
    let found = client.open("entries/roots.md", &text);
    assert_eq!(codes(&found), ["broken-reference"]);
    assert_eq!(
        found[0]["range"],
        json!({"start": {"line": 3, "character": utf16(line)}, "end": {"line": 3, "character": utf16(line) + 11}})
    );
    // A position after them lands on the right link.
    let column = utf16(line) as u32 + utf16("[[nowhere]] and [[Ba") as u32;
    let definition = client.request(
        "textDocument/definition",
        client.at("entries/roots.md", 3, column),
    );
    assert_eq!(definition["uri"], json!(client.uri("entries/base.md")));
    assert_eq!(
        definition["range"]["start"],
        json!({"line": 6, "character": 0})
    );

    // CRLF: lines and line breaks as written.
    let crlf = "---\r\nterm: Crlf Entry\r\n---\r\nFirst line — here.\r\nSecond √ line links [[nowhere else]].\r\n";
    let found = client.open("entries/crlf.md", crlf);
    assert_eq!(codes(&found), ["broken-reference"]);
    let start = utf16("Second √ line links ");
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 4, "character": start})
    );
    assert_eq!(
        found[0]["range"]["end"],
        json!({"line": 4, "character": start + 16})
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": client.uri("entries/crlf.md")},
            "range": found[0]["range"].clone(),
            "context": {"diagnostics": [found[0].clone()]}
        }),
    );
    let disable = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable broken-reference for this line")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let edit = &disable["edit"]["changes"][&client.uri("entries/crlf.md")][0];
    assert_eq!(
        edit["newText"],
        "<!-- glosslint-disable-next-line broken-reference -->\r\n"
    );
    assert_eq!(edit["range"]["start"], json!({"line": 4, "character": 0}));
    client.shutdown();
}

#[test]
fn definition_hover_and_completion() {
    let dir = glossary();
    let mut client = Client::start(dir.path());
    client.open("entries/acid-gas.md", ACID_GAS);
    client.open("entries/scrubber.md", SCRUBBER);
    // `[[Base|a base]]` -> Base's term; `[[Base#Uses]]` -> the heading.
    let column = utf16("Acid gas is removed with [[Ba") as u32;
    let definition = client.request(
        "textDocument/definition",
        client.at("entries/acid-gas.md", 3, column),
    );
    assert_eq!(definition["uri"], json!(client.uri("entries/base.md")));
    assert_eq!(
        definition["range"],
        json!({"start": {"line": 1, "character": 6}, "end": {"line": 1, "character": 10}})
    );
    let column = utf16("Acid gas is removed with [[Base|a base]], see [[Base#U") as u32;
    let definition = client.request(
        "textDocument/definition",
        client.at("entries/acid-gas.md", 3, column),
    );
    assert_eq!(
        definition["range"]["start"],
        json!({"line": 6, "character": 0})
    );
    // A `see_also` item.
    let definition = client.request(
        "textDocument/definition",
        client.at("entries/scrubber.md", 2, 12),
    );
    assert_eq!(definition["uri"], json!(client.uri("entries/base.md")));
    // Not on a reference: nothing.
    let nothing = client.request(
        "textDocument/definition",
        client.at("entries/acid-gas.md", 3, 2),
    );
    assert_eq!(nothing, Value::Null);

    let hover = client.request(
        "textDocument/hover",
        client.at("entries/acid-gas.md", 3, column),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**Base** › Uses"), "{value}");
    assert!(
        value.contains("Bases neutralize acids in scrubbers."),
        "{value}"
    );
    let column = utf16("Acid gas is removed with [[Ba") as u32;
    let hover = client.request(
        "textDocument/hover",
        client.at("entries/acid-gas.md", 3, column),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("A base accepts protons in a reaction."),
        "{value}"
    );
    assert_eq!(hover["range"]["start"], json!({"line": 3, "character": 25}));

    // Completion of terms and aliases after `[[`.
    let text = "---\nterm: Notes\n---\nSee [[al and [[Ba#U and [[\n";
    client.open("entries/notes.md", text);
    let completion = client.request(
        "textDocument/completion",
        client.at("entries/notes.md", 3, utf16("See [[al") as u32),
    );
    let labels: Vec<&str> = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["alkali"], "{completion:#}");
    let item = &completion["items"][0];
    assert_eq!(item["detail"], "alias of Base");
    assert_eq!(item["textEdit"]["newText"], "alkali]]");
    assert_eq!(
        item["textEdit"]["range"],
        json!({"start": {"line": 3, "character": 6}, "end": {"line": 3, "character": 8}})
    );
    let completion = client.request(
        "textDocument/completion",
        client.at(
            "entries/notes.md",
            3,
            utf16("See [[al and [[Ba#U and [[") as u32,
        ),
    );
    let mut labels: Vec<&str> = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    labels.sort();
    assert_eq!(labels, ["Acid Gas", "Base", "Notes", "Scrubber", "alkali"]);
    // Headings of the target after `[[term#` (the alias `Ba` is not a name:
    // use the term).
    let text = "---\nterm: Notes\n---\nSee [[Base#U\n";
    client.change("entries/notes.md", 2, text);
    client.diagnostics("entries/notes.md", Some(2));
    let completion = client.request(
        "textDocument/completion",
        client.at("entries/notes.md", 3, utf16("See [[Base#U") as u32),
    );
    let item = &completion["items"][0];
    assert_eq!(item["label"], "Uses");
    assert_eq!(item["textEdit"]["newText"], "Uses]]");
    assert_eq!(
        item["textEdit"]["range"]["start"],
        json!({"line": 3, "character": 11})
    );
    client.shutdown();
}

#[test]
fn rename_rewrites_the_term_and_every_reference() {
    let dir = glossary();
    let mut client = Client::start(dir.path());
    client.open("entries/acid-gas.md", ACID_GAS);
    // On a reference: the bare name, with the term as placeholder.
    let column = utf16("Acid gas is removed with [[Ba") as u32;
    let prepared = client.request(
        "textDocument/prepareRename",
        client.at("entries/acid-gas.md", 3, column),
    );
    assert_eq!(prepared["placeholder"], "Base");
    assert_eq!(
        prepared["range"],
        json!({"start": {"line": 3, "character": 27}, "end": {"line": 3, "character": 31}})
    );
    // Nothing to rename in plain prose.
    let nothing = client.request(
        "textDocument/prepareRename",
        client.at("entries/acid-gas.md", 3, 2),
    );
    assert_eq!(nothing, Value::Null);
    let mut params = client.at("entries/acid-gas.md", 3, column);
    params["newName"] = json!("Alkaline Base");
    let edit = client.request("textDocument/rename", params);
    let changes = edit["changes"].as_object().unwrap();
    let apply = |relative: &str, original: &str| -> String {
        let edits = changes[&client.uri(relative)].as_array().unwrap().clone();
        apply_edits(original, &edits)
    };
    assert_eq!(changes.len(), 3, "{edit:#}");
    assert_eq!(
        apply("entries/base.md", BASE),
        BASE.replace("term: Base", "term: Alkaline Base")
    );
    assert_eq!(
        apply("entries/acid-gas.md", ACID_GAS),
        "---\nterm: Acid Gas\n---\nAcid gas is removed with [[Alkaline Base|a base]], see [[Alkaline Base#Uses]].\n"
    );
    assert_eq!(
        apply("entries/scrubber.md", SCRUBBER),
        "---\nterm: Scrubber\nsee_also: [Alkaline Base, \"Alkaline Base#Uses\"]\n---\nA scrubber uses [[Alkaline Base]] solutions.\n"
    );
    // On the term in front matter, with a name YAML must quote.
    client.open("entries/base.md", BASE);
    let prepared = client.request(
        "textDocument/prepareRename",
        client.at("entries/base.md", 1, 7),
    );
    assert_eq!(prepared["placeholder"], "Base");
    let mut params = client.at("entries/base.md", 1, 7);
    params["newName"] = json!("Base: the alkali kind");
    let edit = client.request("textDocument/rename", params);
    let edits = edit["changes"][&client.uri("entries/base.md")]
        .as_array()
        .unwrap()
        .clone();
    assert!(apply_edits(BASE, &edits).contains("term: \"Base: the alkali kind\"\n"));
    // A name no wiki link could hold is refused.
    let mut params = client.at("entries/base.md", 1, 7);
    params["newName"] = json!("a|b");
    let refused = client.request_raw("textDocument/rename", params);
    assert!(refused["error"]["message"].as_str().unwrap().contains('|'));
    client.shutdown();
}

/// Applies LSP text edits (one line per `\n`; the fixtures are ASCII there).
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| -> usize {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (at, ch) in text[start..].char_indices() {
            if units >= character {
                return start + at;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|span| std::cmp::Reverse(span.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// A real editor: headless Neovim starts `glosslint lsp`, opens an entry with
/// a broken reference, reads the diagnostics back through
/// `vim.diagnostic.get`, fixes the buffer and waits for them to clear
/// (`tests/nvim/init.lua`). Skipped, with a note, where `nvim` is missing;
/// `.ci/run` installs it.
#[test]
fn neovim_shows_the_diagnostics() {
    let available = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !available {
        eprintln!("note: nvim is not installed; skipping the Neovim end-to-end test");
        return;
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nvim");
    let dir = tempfile::tempdir().unwrap();
    for relative in [
        "glosslint.toml",
        "entries/memory-saving.md",
        "entries/activation-recomputation.md",
    ] {
        let to = dir.path().join(relative);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixtures.join("glossary").join(relative), to).unwrap();
    }
    let out = dir.path().join("report.txt");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-u"])
        .arg(fixtures.join("init.lua"))
        .current_dir(dir.path())
        .env("GLOSSLINT_BIN", env!("CARGO_BIN_EXE_glosslint"))
        .env("GLOSSLINT_OUT", &out)
        .env("GLOSSLINT_FILE", "entries/memory-saving.md")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("Neovim did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let report = std::fs::read_to_string(&out).expect("init.lua writes its report");
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.first(), Some(&"found true"), "{report}");
    let diagnostics: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("diagnostic "))
        .collect();
    assert_eq!(diagnostics.len(), 1, "{report}");
    let fields: Vec<&str> = diagnostics[0].splitn(8, ' ').collect();
    // Neovim turns the UTF-16 columns back into byte columns of its buffer:
    // they must land on the link, after `√` and `—` (3 bytes each).
    let text = std::fs::read_to_string(fixtures.join("glossary/entries/memory-saving.md")).unwrap();
    let line = text.lines().nth(3).unwrap();
    let start = line.find("[[").unwrap();
    let end = start + "[[gradient checkpointing]]".len();
    assert_eq!(
        fields[..7],
        [
            "3",
            &start.to_string(),
            "3",
            &end.to_string(),
            "1",
            "broken-reference",
            "glosslint"
        ],
        "{report}"
    );
    assert!(fields[7].contains("resolves to no entry"), "{report}");
    assert_eq!(lines.last(), Some(&"cleared true"), "{report}");
}

/// Issue 15.6: a `glosslint.toml` that is a FIFO (or a symlink to
/// `/dev/zero`) hung the indexing thread, so the server never answered
/// again. The configuration is refused with a message, the defaults are
/// used, and the open document gets its diagnostics.
#[cfg(unix)]
#[test]
fn a_configuration_that_is_no_regular_file_is_refused_and_the_server_serves() {
    for kind in ["fifo", "zero"] {
        let dir = project(&[("entries/base.md", BASE)]);
        let config = dir.path().join("glosslint.toml");
        if kind == "fifo" {
            let made = Command::new("mkfifo")
                .arg(&config)
                .status()
                .is_ok_and(|status| status.success());
            assert!(made, "mkfifo");
        } else {
            std::os::unix::fs::symlink("/dev/zero", &config).unwrap();
        }
        let mut client = Client::start(dir.path());
        let shown = client.wait_for("the configuration error", |message| {
            message["method"] == "window/showMessage"
        });
        let text = shown["params"]["message"].as_str().unwrap();
        assert!(
            text.contains("glosslint.toml") && text.contains("not a regular file"),
            "{text}"
        );
        client.open("entries/base.md", BASE);
        let hover = client.request("textDocument/hover", client.at("entries/base.md", 1, 7));
        assert!(hover.is_null() || hover.is_object(), "{hover}");
        client.shutdown();
    }
}

/// Issue 15.9: the server exited on any malformed frame and aborted on a
/// huge `Content-Length`. Each bad body is answered with a JSON-RPC error
/// (`null` id), each bad header block is skipped, and a valid request sent
/// after all of them is answered.
#[test]
fn malformed_frames_are_answered_or_skipped_and_the_server_keeps_serving() {
    let dir = glossary();
    let mut client = Client::start(dir.path());
    let bodies: [&[u8]; 4] = [b"{not json", b"[]", b"null", b"\xff\xfe\"\xfd"];
    for body in bodies {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        client.write_raw(&frame);
    }
    // No length, a length that is no number, a length past any limit: the
    // bodies that follow run into the next header, which is still found.
    client.write_raw(
        b"Content-Type: application/vscode-jsonrpc\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}",
    );
    client.write_raw(b"Content-Length: twelve\r\n\r\n{}");
    client.write_raw(b"Content-Length: 99999999999999\r\n\r\n");
    let mut codes = Vec::new();
    for _ in bodies {
        let answer = client.wait_for("an error answer", |message| {
            message["id"].is_null() && message.get("error").is_some()
        });
        codes.push(answer["error"]["code"].as_i64().unwrap());
    }
    assert_eq!(codes, [-32700, -32600, -32600, -32700]);
    client.open("entries/acid-gas.md", ACID_GAS);
    let column = utf16("Acid gas is removed with [[Ba") as u32;
    let hover = client.request(
        "textDocument/hover",
        client.at("entries/acid-gas.md", 3, column),
    );
    assert!(hover["contents"].to_string().contains("proton"), "{hover}");
    client.shutdown();
}

/// Issue 15.10: renaming to a name another entry already has (as term or
/// alias, in any case) merged the two entries' references for good; it is
/// refused with a message that names the other entry. A name of the entry
/// itself, or the same name in another case, is still renamed to.
#[test]
fn a_rename_to_a_name_another_entry_has_is_refused() {
    let dir = glossary();
    let mut client = Client::start(dir.path());
    client.open("entries/base.md", BASE);
    for taken in ["Acid Gas", "scrubber", "ACID-GAS"] {
        let mut params = client.at("entries/base.md", 1, 7);
        params["newName"] = json!(taken);
        let refused = client.request_raw("textDocument/rename", params);
        let message = refused["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("already a name of the entry")
                && message.contains("merge the references"),
            "{taken}: {refused}"
        );
    }
    // The alias `alkali` to the term `Scrubber` of another entry.
    let mut params = client.at("entries/base.md", 2, 11);
    params["newName"] = json!("Scrubber");
    let refused = client.request_raw("textDocument/rename", params);
    assert!(refused.get("error").is_some(), "{refused}");
    for own in ["BASE", "alkali"] {
        let mut params = client.at("entries/base.md", 1, 7);
        params["newName"] = json!(own);
        let edit = client.request("textDocument/rename", params);
        assert!(
            edit["changes"].as_object().is_some_and(|c| !c.is_empty()),
            "{own}: {edit}"
        );
    }
    client.shutdown();
}

#[test]
fn completion_under_wiki_file_proposes_file_names() {
    // Foam and Obsidian name a note by its file: `[[dai` completes to
    // `daily-notes` (its title shown beside it), two notes sharing a name
    // are offered by path, and `[[daily-notes#` offers that note's headings.
    let dir = project(&[
        (
            "glosslint.toml",
            "[files]\nentries = [\"docs/**/*.md\"]\n\n[references]\nwiki = \"file\"\n\n[rules]\nshort-body = \"off\"\n",
        ),
        (
            "docs/user/daily-notes.md",
            "# Daily Notes\n\nA note for each day.\n\n## Creating Daily Notes\n\nUse the command.\n",
        ),
        ("docs/a/index.md", "# Alpha\n\nThe first index.\n"),
        ("docs/b/index.md", "# Beta\n\nThe second index.\n"),
    ]);
    let mut client = Client::start(dir.path());
    let text = "# Inbox\n\nSee [[dai and [[ind and [[daily-notes#Cr\n";
    client.open("docs/inbox.md", text);
    let labels = |completion: &Value| -> Vec<String> {
        completion["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["label"].as_str().unwrap().to_string())
            .collect()
    };
    let completion = client.request(
        "textDocument/completion",
        client.at("docs/inbox.md", 2, utf16("See [[dai") as u32),
    );
    assert_eq!(labels(&completion), ["daily-notes"], "{completion:#}");
    assert_eq!(completion["items"][0]["detail"], "Daily Notes");
    assert_eq!(
        completion["items"][0]["textEdit"]["newText"],
        "daily-notes]]"
    );
    let completion = client.request(
        "textDocument/completion",
        client.at("docs/inbox.md", 2, utf16("See [[dai and [[ind") as u32),
    );
    assert_eq!(
        labels(&completion),
        ["docs/a/index", "docs/b/index"],
        "{completion:#}"
    );
    let completion = client.request(
        "textDocument/completion",
        client.at(
            "docs/inbox.md",
            2,
            utf16("See [[dai and [[ind and [[daily-notes#Cr") as u32,
        ),
    );
    assert_eq!(
        labels(&completion),
        ["Creating Daily Notes"],
        "{completion:#}"
    );
    client.shutdown();
}

#[test]
fn a_term_read_from_the_file_name_is_not_renamed_in_the_text() {
    // The note has no title and no heading: its term is its file's name,
    // written nowhere, so a rename through `[[journal]]` is refused (it
    // would otherwise write the new name at the file's start).
    let dir = project(&[
        (
            "glosslint.toml",
            "[references]\nwiki = \"file\"\n\n[entries]\nterm_from = [\"field\", \"h1\", \"file-name\"]\n\n[rules]\nshort-body = \"off\"\n",
        ),
        ("journal.md", "Written every day, with no heading.\n"),
        ("inbox.md", "# Inbox\n\nSee [[journal]].\n"),
    ]);
    let mut client = Client::start(dir.path());
    client.open("inbox.md", "# Inbox\n\nSee [[journal]].\n");
    let mut params = client.at("inbox.md", 2, utf16("See [[jour") as u32);
    params["newName"] = json!("diary");
    let refused = client.request_raw("textDocument/rename", params);
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("rename the file instead"), "{refused}");
    client.shutdown();
}
