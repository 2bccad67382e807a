fn main() -> std::process::ExitCode {
    glosslint::cli::main()
}
