//! The server loop: one thread reads messages in order and handles each to
//! the end before the next (rust-analyzer's `lsp-server`, as ruff uses it).
//!
//! The corpus is indexed on a worker thread, with `$/progress` reports; until
//! it is ready, every message that needs it is queued, and the queue is
//! handled in order once it is. Changes are checked at once when the document
//! was quiet, and coalesced while they keep arriving less than [`DEBOUNCE`]
//! apart (checked [`DEBOUNCE`] after the last one); a request first runs any
//! check still due, so it always sees the latest text.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    notification, request, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, Location,
    MessageType, NumberOrString, ProgressParams, ProgressParamsValue, PublishDiagnosticsParams,
    Registration, RegistrationParams, ShowMessageParams, Uri, WorkDoneProgress,
    WorkDoneProgressBegin, WorkDoneProgressCreateParams, WorkDoneProgressEnd,
    WorkDoneProgressReport,
};

use super::convert::{self, path_of, uri_of, Lines};
use crate::diagnostic::{Diagnostic, FileId};
use crate::report::line_index::LineIndex;
use crate::workspace::{configure, Workspace};

/// Changes closer together than this are checked once, after the last.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// How often the loop looks whether the index is ready.
const LOADING_POLL: Duration = Duration::from_millis(10);

/// What the client said it can do.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientSupport {
    /// `window/workDoneProgress/create` and `$/progress`.
    pub progress: bool,
    /// Dynamic registration of `workspace/didChangeWatchedFiles`.
    pub watch_files: bool,
}

/// An open document.
pub struct Doc {
    /// The URI the client uses for it.
    pub uri: Uri,
    /// Its current (unsaved) text.
    pub text: String,
    /// The client's version of it.
    pub version: i32,
    /// When a coalesced check is due.
    due: Option<Instant>,
    /// When the last change arrived.
    last_change: Option<Instant>,
    /// The findings last published, for code actions.
    pub found: Vec<Diagnostic>,
    /// What was last published, to publish again only what changed.
    published: Option<Vec<lsp_types::Diagnostic>>,
}

/// Whether the loop goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Next message.
    Continue,
    /// `exit` arrived.
    Exit,
}

/// The server's state.
pub struct Server<'c> {
    connection: &'c Connection,
    /// The workspace folder.
    pub root: PathBuf,
    /// The corpus, once indexed.
    pub workspace: Option<Workspace>,
    loading: Option<mpsc::Receiver<Workspace>>,
    pending: VecDeque<Message>,
    /// Open documents by path.
    pub docs: HashMap<PathBuf, Doc>,
    client: ClientSupport,
    next_id: i32,
    /// Whether `shutdown` was received.
    pub shut_down: bool,
}

impl<'c> Server<'c> {
    /// A server for the folder `root`.
    pub fn new(connection: &'c Connection, root: PathBuf, client: ClientSupport) -> Self {
        Self {
            connection,
            root,
            workspace: None,
            loading: None,
            pending: VecDeque::new(),
            docs: HashMap::new(),
            client,
            next_id: 0,
            shut_down: false,
        }
    }

    /// Whether the index is still being built.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    fn send(&self, message: Message) {
        // The client is gone when this fails; the loop ends on the next read.
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params).into());
    }

    fn request<R: request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let id = RequestId::from(format!("glosslint-{}", self.next_id));
        self.send(Request::new(id, R::METHOD.to_string(), params).into());
    }

    /// Starts indexing the corpus on a worker thread.
    pub fn start_loading(&mut self) {
        let token = NumberOrString::String(format!("glosslint-index-{}", self.next_id + 1));
        let progress = self.client.progress;
        if progress {
            self.request::<request::WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                token: token.clone(),
            });
        }
        let sender = self.connection.sender.clone();
        let root = self.root.clone();
        let (ready, receiver) = mpsc::channel();
        self.loading = Some(receiver);
        std::thread::Builder::new()
            .name("glosslint-index".into())
            .spawn(move || {
                let report = |value: WorkDoneProgress| {
                    if progress {
                        let params = ProgressParams {
                            token: token.clone(),
                            value: ProgressParamsValue::WorkDone(value),
                        };
                        let _ = sender.send(
                            Notification::new(notification::Progress::METHOD.into(), params).into(),
                        );
                    }
                };
                report(WorkDoneProgress::Begin(WorkDoneProgressBegin {
                    title: "glosslint: indexing the glossary".into(),
                    cancellable: Some(false),
                    message: Some("reading the configuration".into()),
                    percentage: Some(0),
                }));
                let started = Instant::now();
                let (config, registry) = match configure(&root) {
                    Ok(found) => found,
                    Err(error) => {
                        let params = ShowMessageParams {
                            typ: MessageType::ERROR,
                            message: format!(
                                "glosslint: invalid configuration, using the defaults:\n{error}"
                            ),
                        };
                        let _ = sender.send(
                            Notification::new(notification::ShowMessage::METHOD.into(), params)
                                .into(),
                        );
                        let registry = crate::rules::Registry::builtin();
                        (
                            crate::config::Config::defaults(root.clone(), &registry),
                            registry,
                        )
                    }
                };
                let mut last = None::<Instant>;
                let workspace = Workspace::load(config, registry, &mut |done, total| {
                    let quiet = last.is_some_and(|at| at.elapsed() < Duration::from_millis(100));
                    if quiet && done < total {
                        return;
                    }
                    last = Some(Instant::now());
                    report(WorkDoneProgress::Report(WorkDoneProgressReport {
                        cancellable: Some(false),
                        message: Some(format!("{done}/{total} files")),
                        percentage: Some((done * 100).checked_div(total).unwrap_or(100) as u32),
                    }));
                });
                report(WorkDoneProgress::End(WorkDoneProgressEnd {
                    message: Some(format!(
                        "{} entries in {} files, {} ms",
                        workspace.entry_count(),
                        workspace.files.len(),
                        started.elapsed().as_millis()
                    )),
                }));
                let _ = ready.send(workspace);
            })
            .expect("a thread can be started");
    }

    /// Handles messages until `exit` (or until the client goes away).
    pub fn run(&mut self) -> Flow {
        loop {
            let wait = self.wait_time();
            let receiver = &self.connection.receiver;
            let message = match wait {
                None => match receiver.recv() {
                    Ok(message) => Some(message),
                    Err(_) => return Flow::Exit,
                },
                Some(wait) => match receiver.recv_timeout(wait) {
                    Ok(message) => Some(message),
                    Err(error) if error.is_timeout() => None,
                    Err(_) => return Flow::Exit,
                },
            };
            if self.poll_loading() == Flow::Exit {
                return Flow::Exit;
            }
            if let Some(message) = message {
                if self.workspace.is_none() && needs_workspace(&message) {
                    self.pending.push_back(message);
                } else if self.handle(message) == Flow::Exit {
                    return Flow::Exit;
                }
            }
            self.run_due(false);
        }
    }

    fn wait_time(&self) -> Option<Duration> {
        if self.loading.is_some() {
            return Some(LOADING_POLL);
        }
        let now = Instant::now();
        self.docs
            .values()
            .filter_map(|doc| doc.due)
            .min()
            .map(|due| due.saturating_duration_since(now))
    }

    /// Takes the index when the worker is done, re-checks open documents,
    /// then handles what was queued meanwhile.
    fn poll_loading(&mut self) -> Flow {
        let Some(receiver) = &self.loading else {
            return Flow::Continue;
        };
        let workspace = match receiver.try_recv() {
            Ok(workspace) => workspace,
            Err(mpsc::TryRecvError::Empty) => return Flow::Continue,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.notify::<notification::ShowMessage>(ShowMessageParams {
                    typ: MessageType::ERROR,
                    message:
                        "glosslint: indexing the glossary failed; open files are checked alone"
                            .into(),
                });
                let registry = crate::rules::Registry::builtin();
                let config = crate::config::Config::defaults(self.root.clone(), &registry);
                Workspace::empty(config, registry)
            }
        };
        self.loading = None;
        self.workspace = Some(workspace);
        let open: Vec<PathBuf> = self.docs.keys().cloned().collect();
        if !open.is_empty() {
            self.check_docs(open);
        }
        while let Some(message) = self.pending.pop_front() {
            if self.handle(message) == Flow::Exit {
                return Flow::Exit;
            }
        }
        Flow::Continue
    }

    /// Runs the checks that are due (all pending ones with `force`).
    pub fn run_due(&mut self, force: bool) {
        if self.workspace.is_none() {
            return;
        }
        let now = Instant::now();
        let due: Vec<PathBuf> = self
            .docs
            .iter()
            .filter(|(_, doc)| doc.due.is_some_and(|due| force || due <= now))
            .map(|(path, _)| path.clone())
            .collect();
        if !due.is_empty() {
            self.check_docs(due);
        }
    }

    fn handle(&mut self, message: Message) -> Flow {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let response = if self.shut_down {
                    Response::new_err(
                        id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    )
                } else {
                    self.run_due(true);
                    self.respond(request)
                };
                self.send(response.into());
                Flow::Continue
            }
            Message::Notification(notification) => self.on_notification(notification),
            Message::Response(_) => Flow::Continue,
        }
    }

    fn respond(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            request::Shutdown::METHOD => {
                self.shut_down = true;
                Ok(serde_json::Value::Null)
            }
            request::CodeActionRequest::METHOD => {
                dispatch::<request::CodeActionRequest>(self, request, super::actions::code_actions)
            }
            request::GotoDefinition::METHOD => {
                dispatch::<request::GotoDefinition>(self, request, super::navigate::definition)
            }
            request::HoverRequest::METHOD => {
                dispatch::<request::HoverRequest>(self, request, super::navigate::hover)
            }
            request::Completion::METHOD => {
                dispatch::<request::Completion>(self, request, super::complete::completion)
            }
            request::PrepareRenameRequest::METHOD => dispatch::<request::PrepareRenameRequest>(
                self,
                request,
                super::rename::prepare_rename,
            ),
            request::Rename::METHOD => {
                dispatch::<request::Rename>(self, request, super::rename::rename)
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("glosslint does not handle `{other}`"),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn on_notification(&mut self, notification: Notification) -> Flow {
        let method = notification.method.clone();
        match method.as_str() {
            notification::Exit::METHOD => return Flow::Exit,
            notification::DidOpenTextDocument::METHOD => {
                if let Ok(params) = notification.extract::<DidOpenTextDocumentParams>(&method) {
                    self.did_open(params);
                }
            }
            notification::DidChangeTextDocument::METHOD => {
                if let Ok(params) = notification.extract::<DidChangeTextDocumentParams>(&method) {
                    self.did_change(params);
                }
            }
            notification::DidSaveTextDocument::METHOD => {
                if let Ok(params) = notification.extract::<DidSaveTextDocumentParams>(&method) {
                    self.did_save(params);
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                if let Ok(params) = notification.extract::<DidCloseTextDocumentParams>(&method) {
                    self.did_close(params);
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                if let Ok(params) = notification.extract::<DidChangeWatchedFilesParams>(&method) {
                    self.did_change_watched_files(params);
                }
            }
            _ => {}
        }
        Flow::Continue
    }

    /// Asks the client to report changes to entry and configuration files.
    pub fn register_watchers(&mut self) {
        if !self.client.watch_files {
            return;
        }
        let watchers = [
            "**/*.md",
            "**/*.txt",
            "**/glosslint.toml",
            "**/rules/*.toml",
        ]
        .into_iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob.into()),
            kind: None,
        })
        .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        self.request::<request::RegisterCapability>(RegistrationParams {
            registrations: vec![Registration {
                id: "glosslint-watched-files".into(),
                method: notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        });
    }

    fn did_open(&mut self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let Some(path) = path_of(&document.uri) else {
            return;
        };
        self.docs.insert(
            path.clone(),
            Doc {
                uri: document.uri,
                text: document.text,
                version: document.version,
                due: None,
                last_change: None,
                found: Vec::new(),
                published: None,
            },
        );
        self.check_docs(vec![path]);
    }

    fn did_change(&mut self, params: DidChangeTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let Some(doc) = self.docs.get_mut(&path) else {
            return;
        };
        for change in params.content_changes {
            match change.range {
                Some(range) => {
                    let span = Lines::new(&doc.text).span(&range);
                    doc.text.replace_range(span, &change.text);
                }
                None => doc.text = change.text,
            }
        }
        doc.version = params.text_document.version;
        let now = Instant::now();
        let quiet = doc
            .last_change
            .is_none_or(|last| now.duration_since(last) >= DEBOUNCE);
        doc.last_change = Some(now);
        if quiet && doc.due.is_none() {
            self.check_docs(vec![path]);
        } else {
            doc.due = Some(now + DEBOUNCE);
        }
    }

    fn did_save(&mut self, params: DidSaveTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let Some(doc) = self.docs.get_mut(&path) else {
            return;
        };
        if let Some(text) = params.text {
            doc.text = text;
        }
        self.check_docs(vec![path]);
    }

    fn did_close(&mut self, params: DidCloseTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let Some(doc) = self.docs.remove(&path) else {
            return;
        };
        self.notify::<notification::PublishDiagnostics>(PublishDiagnosticsParams {
            uri: doc.uri,
            diagnostics: Vec::new(),
            version: None,
        });
        let changed = self
            .workspace
            .as_mut()
            .and_then(|workspace| workspace.close(&path))
            .is_some_and(|update| update.corpus_changed);
        if changed {
            self.republish_open(&[]);
        }
    }

    fn did_change_watched_files(&mut self, params: DidChangeWatchedFilesParams) {
        let mut changed = false;
        let mut reconfigure = false;
        for change in params.changes {
            let Some(path) = path_of(&change.uri) else {
                continue;
            };
            let is_config = path.file_name().is_some_and(|n| n == "glosslint.toml")
                || (path.extension().is_some_and(|e| e == "toml")
                    && path
                        .parent()
                        .and_then(|p| p.file_name())
                        .is_some_and(|n| n == "rules"));
            if is_config {
                reconfigure = true;
                continue;
            }
            if let Some(workspace) = self.workspace.as_mut() {
                changed |= workspace
                    .reload(&path)
                    .is_some_and(|update| update.corpus_changed);
            }
        }
        if reconfigure {
            // A new configuration or new house rules: index again; the open
            // documents are checked again when it is ready.
            self.workspace = None;
            self.start_loading();
        } else if changed {
            self.republish_open(&[]);
        }
    }

    /// Re-indexes the unsaved text of `paths` and publishes their findings;
    /// when what other entries see changed, the other open documents are
    /// checked again too and published if their findings changed.
    pub fn check_docs(&mut self, paths: Vec<PathBuf>) {
        let Some(workspace) = self.workspace.as_mut() else {
            return;
        };
        let mut corpus_changed = false;
        let mut checked = Vec::new();
        for path in &paths {
            let Some(doc) = self.docs.get_mut(path) else {
                continue;
            };
            doc.due = None;
            match workspace.set_text(path, doc.text.clone()) {
                Some(update) => {
                    corpus_changed |= update.corpus_changed;
                    checked.push(path.clone());
                }
                None => {
                    doc.found.clear();
                    doc.published = Some(Vec::new());
                    let params = PublishDiagnosticsParams {
                        uri: doc.uri.clone(),
                        diagnostics: Vec::new(),
                        version: Some(doc.version),
                    };
                    let _ = self.connection.sender.send(
                        Notification::new(notification::PublishDiagnostics::METHOD.into(), params)
                            .into(),
                    );
                }
            }
        }
        if corpus_changed {
            self.republish_open(&checked);
        } else {
            self.publish(&checked, &checked);
        }
    }

    /// Publishes every open document whose findings changed (and `always`).
    fn republish_open(&mut self, always: &[PathBuf]) {
        let open: Vec<PathBuf> = self.docs.keys().cloned().collect();
        self.publish(&open, always);
    }

    /// Computes the findings of `paths` in one pass over the corpus rules and
    /// publishes those in `always` and those that changed.
    fn publish(&mut self, paths: &[PathBuf], always: &[PathBuf]) {
        let Some(workspace) = self.workspace.as_mut() else {
            return;
        };
        let ids: Vec<(FileId, PathBuf)> = paths
            .iter()
            .filter_map(|path| Some((workspace.file_id(path)?, path.clone())))
            .collect();
        let file_ids: Vec<FileId> = ids.iter().map(|(id, _)| *id).collect();
        let results = workspace.diagnostics(&file_ids);
        let by_id: HashMap<FileId, PathBuf> = ids.into_iter().collect();
        let always: HashSet<&PathBuf> = always.iter().collect();
        let workspace = self.workspace.as_ref().expect("checked above");
        let mut related_texts: HashMap<FileId, (Arc<str>, LineIndex)> = HashMap::new();
        let mut outgoing = Vec::new();
        for (file, found) in results {
            let Some(path) = by_id.get(&file) else {
                continue;
            };
            let Some(doc) = self.docs.get(path) else {
                continue;
            };
            let lines = Lines::new(&doc.text);
            let docs = &self.docs;
            let mut related = |other: FileId, span: &std::ops::Range<usize>| {
                related_location(workspace, docs, &mut related_texts, other, span)
            };
            let converted: Vec<lsp_types::Diagnostic> = found
                .iter()
                .map(|diagnostic| convert::diagnostic(diagnostic, &lines, &mut related))
                .collect();
            let changed = doc.published.as_ref() != Some(&converted);
            outgoing.push((
                path.clone(),
                found,
                converted,
                changed || always.contains(path),
            ));
        }
        for (path, found, converted, send) in outgoing {
            let Some(doc) = self.docs.get_mut(&path) else {
                continue;
            };
            doc.found = found;
            if send {
                doc.published = Some(converted.clone());
                let params = PublishDiagnosticsParams {
                    uri: doc.uri.clone(),
                    diagnostics: converted,
                    version: Some(doc.version),
                };
                let _ = self.connection.sender.send(
                    Notification::new(notification::PublishDiagnostics::METHOD.into(), params)
                        .into(),
                );
            }
        }
    }

    /// The URI and text of `file`: the open document's, else the file's.
    pub fn file_text(&self, file: FileId) -> Option<(Uri, Arc<str>)> {
        let workspace = self.workspace.as_ref()?;
        let path = &workspace.files.get(file)?.path;
        match self.docs.get(path) {
            Some(doc) => Some((doc.uri.clone(), Arc::from(doc.text.as_str()))),
            None => Some((uri_of(path), workspace.text(file)?)),
        }
    }

    /// The open document at `uri`: its path and the file id in the session.
    pub fn doc(&self, uri: &Uri) -> Option<(&Doc, FileId)> {
        let path = path_of(uri)?;
        let doc = self.docs.get(&path)?;
        let file = self.workspace.as_ref()?.file_id(&path)?;
        Some((doc, file))
    }
}

fn related_location(
    workspace: &Workspace,
    docs: &HashMap<PathBuf, Doc>,
    cache: &mut HashMap<FileId, (Arc<str>, LineIndex)>,
    file: FileId,
    span: &std::ops::Range<usize>,
) -> Option<Location> {
    let path = &workspace.files.get(file)?.path;
    let open = docs.get(path);
    if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(file) {
        let text: Arc<str> = match open {
            Some(doc) => Arc::from(doc.text.as_str()),
            None => workspace.text(file)?,
        };
        let index = LineIndex::new(&text);
        slot.insert((text, index));
    }
    let (text, index) = cache.get(&file)?;
    let uri = open.map_or_else(|| uri_of(path), |doc| doc.uri.clone());
    Some(Location::new(uri, Lines::borrowed(text, index).range(span)))
}

/// Whether a message must wait for the index.
fn needs_workspace(message: &Message) -> bool {
    match message {
        Message::Request(_) => true,
        Message::Response(_) => false,
        Message::Notification(notification) => !matches!(
            notification.method.as_str(),
            notification::Exit::METHOD
                | notification::Initialized::METHOD
                | notification::Cancel::METHOD
                | notification::SetTrace::METHOD
                | notification::DidChangeConfiguration::METHOD
        ),
    }
}

/// A handler's failure: the JSON-RPC error code and a message.
pub type Failure = (ErrorCode, String);

fn dispatch<R>(
    server: &mut Server<'_>,
    request: Request,
    handler: fn(&mut Server<'_>, R::Params) -> Result<R::Result, Failure>,
) -> Result<serde_json::Value, Failure>
where
    R: request::Request,
{
    let (_, params) = request
        .extract::<R::Params>(R::METHOD)
        .map_err(|error| (ErrorCode::InvalidParams, error.to_string()))?;
    let result = handler(server, params)?;
    serde_json::to_value(result).map_err(|error| (ErrorCode::InternalError, error.to_string()))
}
