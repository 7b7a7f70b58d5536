# bash completion for lockviz: commands, options (read from each command's --help), scenarios,
# variants and parameters (read from `lockviz list` when you press Tab, so scenarios in your
# scenario folders and .so files complete too), and files where a file is wanted.

# lockviz list's output for one scenario (or all): lines "NAME: title", "    variant summary"
# under "  variants:", "    param default ..." under "  parameters:".
_lockviz_list() {
    "$1" --lang en list ${2:+"$2"} 2>/dev/null
}

_lockviz_scenarios() {
    _lockviz_list "$1" | sed -n 's/^\([^ :][^ :]*\): .*/\1/p'
}

_lockviz_section() { # _lockviz_section BIN SCENARIO variants|parameters
    _lockviz_list "$1" "$2" | awk -v want="  $3:" '
        /^[^ ]/ { sec = ""; next }
        /^  [a-z]+:$/ { sec = $0; next }
        sec == want && /^    [^ ]/ { print $1 }'
}

_lockviz() {
    local bin=$1 cur=${COMP_WORDS[COMP_CWORD]} prev=""
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    command -v "$bin" >/dev/null 2>&1 || bin=lockviz
    COMPREPLY=()
    # the command and the scenario: the first and second words that are not options
    local i w cmd="" scen="" skip=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [ "$skip" -eq 1 ]; then skip=0; continue; fi
        case $w in
        --lang | --variant | --set | --mode | --seed | --policy | --pct-depth | --schedule | \
            --time-scale | --out | --chrome | --png | --compare | --strategy | --runs | \
            --preemptions | --at | --size | --ahead | --name) skip=1 ;;
        -*) ;;
        *) if [ -z "$cmd" ]; then cmd=$w; elif [ -z "$scen" ]; then scen=$w; fi ;;
        esac
    done
    case $prev in
    --lang) COMPREPLY=($(compgen -W "zh en" -- "$cur")); return ;;
    --mode) COMPREPLY=($(compgen -W "controlled live" -- "$cur")); return ;;
    --policy) COMPREPLY=($(compgen -W "random rr pct" -- "$cur")); return ;;
    --strategy) COMPREPLY=($(compgen -W "dfs pct random" -- "$cur")); return ;;
    --ahead) COMPREPLY=($(compgen -W "hidden faint shown" -- "$cur")); return ;;
    --variant | --compare)
        [ -n "$scen" ] && COMPREPLY=($(compgen -W "$(_lockviz_section "$bin" "$scen" variants)" -- "$cur"))
        return ;;
    --set)
        if [ -n "$scen" ]; then
            COMPREPLY=($(compgen -S = -W "$(_lockviz_section "$bin" "$scen" parameters)" -- "$cur"))
            compopt -o nospace 2>/dev/null
        fi
        return ;;
    --out | --chrome | --png | --schedule)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --seed | --pct-depth | --time-scale | --runs | --preemptions | --at | --size) return ;;
    esac
    if [ -z "$cmd" ]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help --version -V --lang" -- "$cur"))
        else
            local cmds
            cmds=$("$bin" --lang en --help 2>/dev/null | sed -n 's/^  lockviz \([a-z][a-z-]*\).*/\1/p')
            COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        local opts
        opts=$("$bin" --lang en "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts --lang" -- "$cur"))
        return
    fi
    case $cmd in
    run | explore)
        if [ -z "$scen" ]; then # a scenario's name, or a scenario file (.so)
            COMPREPLY=($(compgen -W "$(_lockviz_scenarios "$bin")" -- "$cur"))
            if [[ $cur == */* || $cur == .* || ${#COMPREPLY[@]} -eq 0 ]]; then
                compopt -o filenames 2>/dev/null
                COMPREPLY+=($(compgen -d -- "$cur") $(compgen -f -X '!*.so' -- "$cur"))
            fi
        fi ;;
    list)
        [ -z "$scen" ] && COMPREPLY=($(compgen -W "$(_lockviz_scenarios "$bin")" -- "$cur")) ;;
    record) # the program to run, then its own arguments
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -c -- "$cur") $(compgen -f -- "$cur")) ;;
    view | check | export) # native traces: not the Chrome exports beside them
        compopt -o filenames 2>/dev/null
        local f
        COMPREPLY=($(compgen -d -- "$cur"))
        for f in $(compgen -f -X '!*.json' -- "$cur"); do
            case $f in *-chrome.json | *.chrome.json) ;; *) [ -d "$f" ] || COMPREPLY+=("$f") ;; esac
        done ;;
    esac
}
complete -F _lockviz lockviz
