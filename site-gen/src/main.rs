//! `site-gen`: the command line. Parses arguments, dispatches to one command function,
//! and prints the outcome; the one place that prints errors and picks the exit status
//! (0 ok, 1 content errors / invalid / rule broken, 2 usage or unreadable input).

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use site_gen::cmd::{self, Failure};
use site_gen::messages;

#[derive(Parser)]
#[command(
    name = "site-gen",
    version,
    about = "Builds the training-plan notice site from content/ and runs its forms"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of messages (default: the site's `language`, else zh-CN).
    #[arg(long, global = true, value_parser = ["zh-CN", "en"])]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Render content/ into dist/ (replaced only when the build succeeds).
    Build {
        #[arg(long, default_value = "content")]
        content: PathBuf,
        #[arg(long, default_value = "dist")]
        out: PathBuf,
    },
    /// Run every content, template and link check; write nothing.
    Check {
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
    /// Build, serve on 127.0.0.1 and rebuild with live reload on changes.
    Serve {
        #[arg(long, default_value_t = 8000)]
        port: u16,
        #[arg(long, default_value = "content")]
        content: PathBuf,
        #[arg(long, default_value = "dist")]
        out: PathBuf,
    },
    /// Validate, score or aggregate form responses.
    Form {
        #[command(subcommand)]
        command: FormCommand,
    },
    /// Read a notice from Word (.docx) into a new notice file, or a plan list from a
    /// spreadsheet (.xlsx, .xls, .ods, .csv) or a .docx's table into a notice's list.
    Import {
        /// The Word document or the spreadsheet.
        file: PathBuf,
        /// The notice (its file's name without .toml) whose list to replace.
        #[arg(long, requires = "list")]
        notice: Option<String>,
        /// The id of the list in the notice to replace.
        #[arg(long, requires = "notice")]
        list: Option<String>,
        /// The sheet to read (default: the one sheet with a header row); of a .docx, the
        /// table (表2).
        #[arg(long)]
        sheet: Option<String>,
        /// The new notice's file name (default: the issuer's city in pinyin and the year).
        #[arg(long, conflicts_with = "notice")]
        slug: Option<String>,
        /// Replace an existing notice of the same name.
        #[arg(long, conflicts_with = "notice")]
        force: bool,
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
    /// Make a new site in DIR (default: this folder; it must be empty): site.toml, the
    /// official calendars, one seed notice's forms and a notice skeleton for this year.
    Init {
        /// The folder of the new site (made when missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The site's title.
        #[arg(long, default_value = "专业技术人员高级研修班")]
        title: String,
        /// The address the site will be published at (a placeholder until you set it).
        #[arg(long, default_value = "https://www.example.org/")]
        base_url: String,
        /// The forms to start with: those of the Wenzhou 2020 notice, of the Shandong 2024
        /// notice, or none.
        #[arg(long, default_value = "wenzhou", value_parser = ["wenzhou", "shandong", "none"])]
        forms: String,
    },
    /// Make something new in an existing site.
    New {
        #[command(subcommand)]
        command: NewCommand,
    },
    /// A notice's deadlines for a course from START to END.
    Deadlines {
        #[arg(long)]
        notice: String,
        /// The plan list whose rules apply, when the notice's lists have rules of their own.
        #[arg(long)]
        list: Option<String>,
        #[arg(long)]
        start: NaiveDate,
        #[arg(long)]
        end: NaiveDate,
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// Copy form FROM as NEW_ID (content/forms/NEW_ID.toml), listing on stderr every text
    /// of the copy that names a place or an attachment number of the original.
    Form {
        new_id: String,
        #[arg(long)]
        from: String,
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
}

#[derive(Subcommand)]
enum FormCommand {
    /// Validate JSON (or CSV, for table forms) responses; prints a JSON array.
    Validate {
        form: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The notice whose rules apply (default: the newest notice attaching the form).
        #[arg(long)]
        notice: Option<String>,
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
    /// Score an evaluation report.
    Score {
        form: String,
        file: PathBuf,
        #[arg(long)]
        notice: Option<String>,
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
    /// Aggregate survey responses.
    Aggregate {
        form: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the summary table as CSV instead of JSON.
        #[arg(long)]
        csv: bool,
        #[arg(long)]
        notice: Option<String>,
        /// Count only this program's responses (`<notice-slug>/<program-slug>`) and those
        /// naming none, as the collection page does; others are listed apart.
        #[arg(long)]
        program: Option<String>,
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let lang = cli
        .lang
        .as_deref()
        .and_then(messages::Lang::parse)
        .or_else(|| content_of(&cli.command).and_then(messages::lang_of_site))
        .unwrap_or(messages::Lang::Zh);
    messages::set_lang(lang);
    // What a command prints for people goes out in the run's language; the data a
    // command prints (form responses, scores, deadlines) goes out as it is.
    let speaks = !matches!(
        cli.command,
        Command::Form { .. } | Command::Deadlines { .. }
    );
    let said = |text: &str| {
        if speaks {
            messages::say(text)
        } else {
            text.to_string()
        }
    };
    match run(cli.command) {
        Ok(Some(out)) => {
            print_out(&said(&out));
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(Failure::Reported { stdout, code }) => {
            print_out(&said(&stdout));
            ExitCode::from(code)
        }
        Err(e) => {
            eprintln!("{}", messages::say(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// The content folder a command reads, if any.
fn content_of(command: &Command) -> Option<&std::path::Path> {
    match command {
        Command::Build { content, .. }
        | Command::Check { content }
        | Command::Serve { content, .. }
        | Command::Import { content, .. }
        | Command::Deadlines { content, .. }
        | Command::New {
            command: NewCommand::Form { content, .. },
        } => Some(content),
        Command::Form {
            command:
                FormCommand::Validate { content, .. }
                | FormCommand::Score { content, .. }
                | FormCommand::Aggregate { content, .. },
        } => Some(content),
        Command::Init { .. } => None,
    }
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print_out(s: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = if s.ends_with('\n') {
        write!(out, "{s}")
    } else {
        writeln!(out, "{s}")
    };
    let _ = out.flush();
}

/// Runs one command; `Some(text)` is printed to stdout.
fn run(command: Command) -> Result<Option<String>, Failure> {
    match command {
        Command::Build { content, out } => {
            cmd::build::build(&cmd::build::BuildArgs { content, out }).map(|s| Some(s.to_string()))
        }
        Command::Check { content } => {
            cmd::check::check(&cmd::check::CheckArgs { content }).map(Some)
        }
        Command::Serve { port, content, out } => {
            cmd::serve::serve(&cmd::serve::ServeArgs { content, out, port }).map(|()| None)
        }
        Command::Import {
            file,
            notice,
            list,
            sheet,
            slug,
            force,
            dry_run,
            content,
        } => match (notice, list) {
            (Some(notice), Some(list)) => cmd::import::import(&cmd::import::ImportArgs {
                file,
                notice,
                list,
                content,
                sheet,
                dry_run,
            }),
            _ => cmd::import::import_notice(&site_gen::cmd::import_docx::NoticeArgs {
                file,
                content,
                slug,
                dry_run,
                force,
            }),
        }
        .map(Some),
        Command::Init {
            dir,
            title,
            base_url,
            forms,
        } => cmd::init::init(&cmd::init::InitArgs {
            dir,
            title,
            base_url,
            forms,
        })
        .map(Some),
        Command::New {
            command:
                NewCommand::Form {
                    new_id,
                    from,
                    content,
                },
        } => {
            let done = cmd::init::new_form(&cmd::init::NewFormArgs {
                content,
                new_id,
                from,
            })?;
            if !done.review.is_empty() {
                eprintln!(
                    "{}",
                    messages::say("review these texts of the copy, which name a place or an attachment number of the original:")
                );
                for line in &done.review {
                    eprintln!("{line}");
                }
            }
            Ok(Some(format!("wrote {}", done.written.display())))
        }
        Command::Deadlines {
            notice,
            list,
            start,
            end,
            content,
        } => cmd::deadlines::deadlines(&cmd::deadlines::DeadlinesArgs {
            content,
            notice,
            list,
            start,
            end,
        })
        .map(Some),
        Command::Form { command } => {
            let (which, args) = match command {
                FormCommand::Validate {
                    form,
                    files,
                    notice,
                    content,
                } => (
                    "validate",
                    cmd::form::FormArgs {
                        content,
                        form,
                        files,
                        csv: false,
                        notice,
                        program: None,
                    },
                ),
                FormCommand::Score {
                    form,
                    file,
                    notice,
                    content,
                } => (
                    "score",
                    cmd::form::FormArgs {
                        content,
                        form,
                        files: vec![file],
                        csv: false,
                        notice,
                        program: None,
                    },
                ),
                FormCommand::Aggregate {
                    form,
                    files,
                    csv,
                    notice,
                    program,
                    content,
                } => (
                    "aggregate",
                    cmd::form::FormArgs {
                        content,
                        form,
                        files,
                        csv,
                        notice,
                        program,
                    },
                ),
            };
            match which {
                "validate" => cmd::form::validate(&args),
                "score" => cmd::form::score(&args),
                _ => cmd::form::aggregate(&args),
            }
            .map(Some)
        }
    }
}
