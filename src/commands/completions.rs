//! `cachectl completions SHELL`: the scripts committed in `completions/`.
//!
//! clap_complete writes static scripts. bash, zsh and fish get a few lines more so that they
//! also offer names that only the binary knows: profile names after `-P`/`--profile` and
//! `profile check|show` (from `cachectl profile list`), and the profile's namespaces after
//! `invalidate namespace` and `recommend --namespace` (from `cachectl -P P profile show P -o csv`).
//! Both are cheap local reads (no server). clap's dynamic completion engine would do this too,
//! but it is still unstable, so the additions are spliced into the static scripts here; the
//! drift test (tests/it/completions.rs) covers the result.

/// The script for `shell`, from the command line's definition `cmd` (`Cli::command()`).
pub fn generate(shell: clap_complete::Shell, mut cmd: clap::Command, out: &mut dyn std::io::Write) {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "cachectl", &mut buf);
    let script = String::from_utf8(buf).expect("clap_complete writes UTF-8");
    let script = match shell {
        clap_complete::Shell::Bash => bash(script),
        clap_complete::Shell::Zsh => zsh(script),
        clap_complete::Shell::Fish => script + FISH_NAMES,
        _ => script,
    };
    // a closed pipe is not worth a panic; the caller flushes and reports errors
    let _ = out.write_all(script.as_bytes());
}

const BASH_NAMES: &str = r#"
# Added by cachectl: profile names after -P/--profile and `profile check|show`, and the
# profile's namespaces after `invalidate namespace` / `recommend --namespace`.
_cachectl_profile_names() {
    "${COMP_WORDS[0]}" profile list -o csv 2>/dev/null | tail -n +2 | cut -d, -f1
}

_cachectl_namespace_names() {
    local i w p=""
    for (( i = 1; i < ${#COMP_WORDS[@]} - 1; i++ )); do
        w=${COMP_WORDS[i]}
        case "$w" in
            -P|--profile)
                p=${COMP_WORDS[i+1]}
                [[ "$p" == "=" ]] && p=${COMP_WORDS[i+2]}
                ;;
            --profile=*) p=${w#--profile=} ;;
        esac
    done
    [[ -n "$p" ]] || return 0
    "${COMP_WORDS[0]}" profile show "$p" -o csv 2>/dev/null | tail -n +2 | cut -d, -f1
}

_cachectl_with_names() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" prev2=""
    (( COMP_CWORD >= 1 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    (( COMP_CWORD >= 2 )) && prev2="${COMP_WORDS[COMP_CWORD-2]}"
    [[ "$prev" == "=" ]] && prev="$prev2"
    [[ "$cur" == "=" ]] && cur=""
    if [[ "$prev" == -P || "$prev" == --profile ]] \
        || [[ "$prev2" == profile && ( "$prev" == check || "$prev" == show ) ]]; then
        COMPREPLY=($(compgen -W "$(_cachectl_profile_names)" -- "$cur") $(compgen -f -- "$cur"))
        return 0
    fi
    if [[ "$prev" == namespace || "$prev" == --namespace ]]; then
        local names
        names=$(_cachectl_namespace_names)
        if [[ -n "$names" ]]; then
            COMPREPLY=($(compgen -W "$names" -- "$cur"))
            return 0
        fi
    fi
    _cachectl "$@"
}
"#;

fn bash(script: String) -> String {
    let script = script.replace(
        "complete -F _cachectl ",
        "complete -F _cachectl_with_names ",
    );
    // the functions must exist before `complete` names them: put them before the registration
    match script.rfind("\nif [[ \"${BASH_VERSINFO[0]}\"") {
        Some(at) => format!(
            "{}\n{}{}",
            &script[..at],
            BASH_NAMES.trim_end(),
            &script[at..]
        ),
        None => script + BASH_NAMES,
    }
}

const ZSH_NAMES: &str = r#"
# Added by cachectl: profile names after -P/--profile and `profile check|show`, and the
# profile's namespaces after `invalidate namespace` / `recommend --namespace`.
(( $+functions[_cachectl_profiles] )) ||
_cachectl_profiles() {
    local -a names
    names=(${(f)"$($words[1] profile list -o csv 2>/dev/null | tail -n +2 | cut -d, -f1)"})
    compadd -a names
    _files -g '*.y(a|)ml'
}
(( $+functions[_cachectl_namespaces] )) ||
_cachectl_namespaces() {
    local i p
    for (( i = 2; i < $#words; i++ )); do
        case $words[i] in
            -P|--profile) p=$words[i+1] ;;
            --profile=*) p=${words[i]#--profile=} ;;
            -P?*) p=${words[i]#-P} ;;
        esac
    done
    [[ -n $p ]] || return 1
    local -a names
    names=(${(f)"$($words[1] profile show $p -o csv 2>/dev/null | tail -n +2 | cut -d, -f1)"})
    compadd -a names
}
"#;

fn zsh(script: String) -> String {
    let script: String = script
        .split_inclusive('\n')
        .map(|line| {
            let profile = line.starts_with("'-P+[")
                || line.starts_with("'--profile=[")
                || line.starts_with("':profile -- Profile");
            let namespace =
                line.starts_with("'--namespace=[") || line.starts_with("':name -- A namespace");
            match (profile, namespace) {
                (true, _) => line.replace(":_default'", ":_cachectl_profiles'"),
                (_, true) => line.replace(":_default'", ":_cachectl_namespaces'"),
                _ => line.to_string(),
            }
        })
        .collect();
    match script.rfind("\nif [ \"$funcstack[1]\" = \"_cachectl\" ]") {
        Some(at) => format!(
            "{}\n{}{}",
            &script[..at],
            ZSH_NAMES.trim_end(),
            &script[at..]
        ),
        None => script + ZSH_NAMES,
    }
}

const FISH_NAMES: &str = r#"
# Added by cachectl: profile names after -P/--profile and `profile check|show`, and the
# profile's namespaces after `invalidate namespace` / `recommend --namespace`.
function __fish_cachectl_profiles
    set -l bin (commandline -opc)[1]
    $bin profile list -o csv 2>/dev/null | tail -n +2 | cut -d, -f1
end
function __fish_cachectl_namespaces
    set -l tokens (commandline -opc)
    set -l p
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case -P --profile
                if test $i -lt (count $tokens)
                    set p $tokens[(math $i + 1)]
                end
            case '--profile=*'
                set p (string replace -- '--profile=' '' $tokens[$i])
        end
    end
    test -n "$p"; and $tokens[1] profile show $p -o csv 2>/dev/null | tail -n +2 | cut -d, -f1
end
complete -c cachectl -s P -l profile -r -a '(__fish_cachectl_profiles)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check show" -a '(__fish_cachectl_profiles)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -f -a '(__fish_cachectl_namespaces)'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l namespace -f -a '(__fish_cachectl_namespaces)'
"#;
