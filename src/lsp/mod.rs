//! `glosslint lsp`: the language server on standard input and output (SPEC
//! 10). Diagnostics for open documents as they change (unsaved text counts),
//! against a corpus index kept in memory and patched file by file; quick fixes
//! and "disable for this line"; go to definition, hover and completion on
//! references; rename of a term across the corpus. Positions are UTF-16.
//!
//! Modules: [`server`] (the loop, the index worker, publishing), [`transport`]
//! (frames on standard input and output, bad ones answered), [`convert`]
//! (positions, URIs, diagnostics), and one per feature: [`actions`],
//! [`navigate`], [`complete`], [`rename`].

pub mod actions;
pub mod complete;
pub mod convert;
pub mod navigate;
pub mod rename;
pub mod server;
pub mod transport;

use std::path::{Path, PathBuf};

use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    HoverProviderCapability, InitializeParams, InitializeResult, OneOf, PositionEncodingKind,
    RenameOptions, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

use server::{ClientSupport, Flow, Server};

/// Serves one client on standard input and output until it sends `exit`;
/// the exit status is 0 after a `shutdown`, 1 without one.
pub fn run(cwd: &Path) -> Result<u8, String> {
    let (connection, writer) = transport::stdio();
    let (id, params) = connection
        .initialize_start()
        .map_err(|error| format!("error: the client did not initialize: {error}"))?;
    let params: InitializeParams = serde_json::from_value(params)
        .map_err(|error| format!("error: bad initialize parameters: {error}"))?;
    let root = root_of(&params).unwrap_or_else(|| cwd.to_path_buf());
    let client = ClientSupport {
        progress: params
            .capabilities
            .window
            .as_ref()
            .and_then(|window| window.work_done_progress)
            .unwrap_or(false),
        watch_files: params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.did_change_watched_files.as_ref())
            .and_then(|watch| watch.dynamic_registration)
            .unwrap_or(false),
    };
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "glosslint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|error| error.to_string())?;
    connection
        .initialize_finish(id, result)
        .map_err(|error| format!("error: initialization failed: {error}"))?;
    // `initialize_finish` has also waited for `initialized`.
    let mut server = Server::new(&connection, root, client);
    server.register_watchers();
    server.start_loading();
    let flow = server.run();
    let clean = flow == Flow::Exit && server.shut_down;
    let still_loading = server.is_loading();
    drop(server);
    drop(connection);
    // The index worker holds a sender too: waiting for the writer would wait
    // for it, so a server told to exit while indexing leaves at once.
    if !still_loading {
        writer.join();
    }
    Ok(if clean { 0 } else { 1 })
}

/// What the server offers.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        definition_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["[".into(), "#".into()]),
            ..CompletionOptions::default()
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        ..ServerCapabilities::default()
    }
}

/// The workspace folder: the first of `workspaceFolders`, else `rootUri`,
/// else `rootPath`.
#[allow(deprecated)]
fn root_of(params: &InitializeParams) -> Option<PathBuf> {
    params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|folder| convert::path_of(&folder.uri))
        .or_else(|| params.root_uri.as_ref().and_then(convert::path_of))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
}
