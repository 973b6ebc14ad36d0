//! tests/c/abi_walkthrough.c, compiled with `cc -Wall -Wextra -Werror -std=c11` against the
//! committed header and linked to the cdylib of this very build, walks the ABI
//! (open → sample tenant → resolve → preview → start → worker → wait → status → close);
//! then again under valgrind (when installed), which must report no error and no leak.
//! tests/c/header_cxx.cpp checks the header compiles as C++, and the README's C example
//! builds and runs as the README says.
//!
//! Plain `cargo test` is enough: cargo compiles the library's `cdylib` next to the `rlib`
//! this test links (in target/<profile>/deps), from the same sources in the same step, so
//! that copy is never stale. Only when it is missing does the test build it itself.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The folder holding the cdylib of the sources under test.
fn library_dir() -> PathBuf {
    // This test's executable is target/<profile>/deps/ffi_c_program-<hash>.
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap().to_path_buf();
    if is_current(&deps.join(library_file())) {
        return deps;
    }
    let profile_dir = deps.parent().unwrap().to_path_buf();
    build_cdylib(&profile_dir);
    let lib = profile_dir.join(library_file());
    assert!(
        is_current(&lib),
        "`cargo build --lib` did not leave a current {}",
        lib.display()
    );
    profile_dir
}

fn is_current(lib: &Path) -> bool {
    lib.is_file() && modified(lib) >= newest(&root().join("src"))
}

/// `cargo build --lib` into this run's target folder and profile, with the `--config`
/// arguments (e.g. a source replacement) the running cargo was given.
fn build_cdylib(profile_dir: &Path) {
    let target_dir = profile_dir.parent().unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["build", "--lib", "--quiet"])
        .args(parent_cargo_configs())
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(root());
    match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => {}
        Some("release") => {
            command.arg("--release");
        }
        Some(other) => {
            command.args(["--profile", other]);
        }
        None => panic!("unexpected target layout: {}", profile_dir.display()),
    }
    let output = command.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo build --lib failed:\n{}",
        show(&output)
    );
}

/// The `--config` arguments of the cargo that started this test (its parent process).
fn parent_cargo_configs() -> Vec<String> {
    #[cfg(target_os = "linux")]
    {
        let parent = std::os::unix::process::parent_id();
        let Ok(raw) = std::fs::read(format!("/proc/{parent}/cmdline")) else {
            return Vec::new();
        };
        let args: Vec<String> = raw
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let mut configs = Vec::new();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            if arg == "--config" {
                if let Some(value) = it.next() {
                    configs.extend(["--config".to_string(), value.clone()]);
                }
            } else if arg.starts_with("--config=") {
                configs.push(arg.clone());
            }
        }
        configs
    }
    #[cfg(not(target_os = "linux"))]
    Vec::new()
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

/// The README's C example and its build commands: compiled as the README says (with the
/// library folder of this build), it prints Ken Myer on a fresh store and again on a
/// second run.
#[cfg(unix)]
#[test]
fn readme_c_example_runs_on_a_fresh_store() {
    if !have("cc") {
        eprintln!("SKIPPED readme_c_example_runs_on_a_fresh_store: no C compiler (cc).");
        return;
    }
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = &readme[readme
        .find("## Using the library from C")
        .expect("README has the C section")..];
    let code_start = section.find("```c\n").expect("a C block") + 5;
    let code = &section[code_start..code_start + section[code_start..].find("```").unwrap()];
    let commands = &section[section.find("```sh\n").expect("its commands")..];
    let cc_line = commands
        .lines()
        .find(|l| l.starts_with("cc "))
        .expect("a cc command");
    assert_eq!(
        cc_line,
        "cc -I include example.c -L target/release -lmeeting_migration -Wl,-rpath,\"$PWD/target/release\" -o example"
    );
    assert!(commands.contains("./example /tmp/mms.db"), "{commands}");
    assert!(section.contains("LD_LIBRARY_PATH=target/release ./example"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("example.c"), code).unwrap();
    let lib = library_dir();
    // The README's command, with this build's library folder and warnings as errors.
    let output = Command::new("cc")
        .args(["-Wall", "-Wextra", "-Werror", "-std=c11", "-I"])
        .arg(root().join("include"))
        .arg("example.c")
        .arg("-L")
        .arg(&lib)
        .arg("-lmeeting_migration")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .args(["-o", "example"])
        .current_dir(dir.path())
        .output()
        .expect("cc runs");
    assert!(output.status.success(), "cc failed:\n{}", show(&output));

    let store = dir.path().join("mms.db");
    // No LD_LIBRARY_PATH: the rpath alone finds the library.
    let first = Command::new(dir.path().join("example"))
        .arg(&store)
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .unwrap();
    let text = show(&first);
    assert!(first.status.success(), "{text}");
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.starts_with("created the sample tenant"), "{text}");
    assert!(
        stdout.contains("\"UserPrincipalName\":\"kenmyer@litwareinc.com\""),
        "{text}"
    );

    // Again by the rpath: cargo's LD_LIBRARY_PATH may name an older build's library first.
    let second = Command::new(dir.path().join("example"))
        .arg(&store)
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .unwrap();
    let text = show(&second);
    assert!(second.status.success(), "{text}");
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(!stdout.contains("created"), "{text}");
    assert!(stdout.contains("kenmyer@litwareinc.com"), "{text}");
}
