/**
 * `qsign completion bash`: a bash completion script generated from the same
 * option tables that parse the arguments and write the help.
 */
import type { Command } from '../command.js';

function bashScript(commands: Command[]): string {
  const cases: string[] = [];
  // Longest paths first so `jwt sign` wins over a shorter prefix.
  for (const c of [...commands].sort((a, b) => b.path.length - a.path.length)) {
    const opts = [...c.options.map((o) => `--${o.name}`), '--help'].join(' ');
    cases.push(`    "${c.path.join(' ')}"|"${c.path.join(' ')} "*) opts="${opts}" ;;`);
  }
  const groups = new Map<string, Set<string>>([['', new Set(['help'])]]);
  for (const c of commands)
    for (let i = 0; i < c.path.length; i++) {
      const key = c.path.slice(0, i).join(' ');
      if (!groups.has(key)) groups.set(key, new Set());
      groups.get(key)!.add(c.path[i]!);
    }
  const words = [...groups].map(([k, v]) => `    "${k}") cmds="${[...v].join(' ')}" ;;`);
  return `# bash completion for qsign; enable with:  source <(qsign completion bash)
_qsign_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line="\${COMP_WORDS[*]:1:COMP_CWORD-1}" opts="" cmds=""
  case "$line" in
${cases.join('\n')}
  esac
  if [[ -n "$opts" ]]; then
    [[ "$cur" == -* ]] && COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return 0
  fi
  [[ "$line" == help* ]] && line="\${line#help}" && line="\${line# }"
  case "$line" in
${words.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
}
complete -o default -F _qsign_complete qsign`;
}

/** The completion command; `all` returns every command (including this one) once they are assembled. */
export function completionCommands(all: () => Command[]): Command[] {
  return [
    {
      path: ['completion', 'bash'],
      summary: 'Print a bash completion script (commands and options)',
      options: [],
      help: 'Enable it for this shell with `source <(qsign completion bash)`, or install it system-wide with `qsign completion bash > /etc/bash_completion.d/qsign`.',
      async run(_p, io) {
        io.out(bashScript(all()));
        return 0;
      },
    },
  ];
}
