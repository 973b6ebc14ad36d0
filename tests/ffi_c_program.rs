//! tests/c/abi_walkthrough.c, compiled with `cc -Wall -Wextra -Werror -std=c11` against the
//! committed header and linked to the cdylib cargo built for this test run, walks the ABI
//! (open → sample tenant → resolve → preview → start → worker → wait → status → close);
//! then again under valgrind (when installed), which must report no error and no leak.
//! tests/c/header_cxx.cpp checks the header compiles as C++.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// target/<profile>: this test's executable is in target/<profile>/deps, the cdylib that
/// `cargo build` makes in target/<profile>.
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
    let lib = dir.join(library_file());
    assert!(
        lib.is_file(),
        "{} is missing: build it first (`cargo build --release`, or build.ps1 Build)",
        lib.display()
    );
    // `cargo test` builds the rlib it links, not the cdylib: refuse a stale one rather
    // than test old code.
    let built = modified(&lib);
    let newest_source = newest(&root().join("src"));
    assert!(
        built >= newest_source,
        "{} is older than the sources: rebuild it (`cargo build --release`, or build.ps1 Build)",
        lib.display()
    );
    dir
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// The newest modification time of the files below `dir`.
fn newest(dir: &Path) -> std::time::SystemTime {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { newest(&p) } else { modified(&p) })
        .max()
        .unwrap_or(std::time::SystemTime::UNIX_EPOCH)
}

fn library_file() -> &'static str {
    if cfg!(target_os = "macos") {
        "libmeeting_migration.dylib"
    } else {
        "libmeeting_migration.so"
    }
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

fn show(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Compiles the walkthrough into `dir` and returns the program's path.
fn build(dir: &Path) -> PathBuf {
    let lib = library_dir();
    let program = dir.join("abi_walkthrough");
    let output = Command::new("cc")
        .args(["-Wall", "-Wextra", "-Werror", "-std=c11", "-g", "-I"])
        .arg(root().join("include"))
        .arg(root().join("tests/c/abi_walkthrough.c"))
        .arg("-o")
        .arg(&program)
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lmeeting_migration")
        .output()
        .expect("cc runs");
    assert!(output.status.success(), "cc failed:\n{}", show(&output));
    program
}

fn run(command: &mut Command) -> Output {
    command
        .env("LD_LIBRARY_PATH", library_dir())
        .output()
        .expect("the program runs")
}

#[cfg(unix)]
#[test]
fn c_program_walks_the_abi() {
    if !have("cc") {
        eprintln!("SKIPPED c_program_walks_the_abi: no C compiler (cc).");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let program = build(dir.path());
    let output = run(Command::new(&program).arg(dir.path().join("walk.db")));
    let text = show(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("all steps passed"), "{text}");
    assert!(text.contains("final state Succeeded"), "{text}");
    assert!(
        output.stderr.is_empty(),
        "the library printed to stderr: {text}"
    );
}

#[cfg(unix)]
#[test]
fn c_program_is_clean_under_valgrind() {
    if !have("cc") || !have("valgrind") {
        eprintln!("SKIPPED c_program_is_clean_under_valgrind: cc or valgrind is not installed.");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let program = build(dir.path());
    let output = run(Command::new("valgrind")
        .args([
            "--error-exitcode=1",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect,possible",
        ])
        .arg(format!(
            "--suppressions={}",
            root().join("tests/c/valgrind.supp").display()
        ))
        .arg(&program)
        .arg(dir.path().join("walk.db")));
    let text = show(&output);
    assert!(output.status.success(), "valgrind reported errors:\n{text}");
    assert!(text.contains("all steps passed"), "{text}");
    assert!(text.contains("ERROR SUMMARY: 0 errors"), "{text}");
    assert!(
        text.contains("definitely lost: 0 bytes") || text.contains("All heap blocks were freed"),
        "{text}"
    );
}

#[test]
fn header_compiles_as_cxx() {
    if !have("c++") {
        eprintln!("SKIPPED header_compiles_as_cxx: no C++ compiler (c++).");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new("c++")
        .args([
            "-Wall",
            "-Wextra",
            "-Werror",
            "-std=c++11",
            "-fsyntax-only",
            "-I",
        ])
        .arg(root().join("include"))
        .arg(root().join("tests/c/header_cxx.cpp"))
        .current_dir(dir.path())
        .output()
        .expect("c++ runs");
    assert!(output.status.success(), "c++ failed:\n{}", show(&output));
}
