import { Button, Code, Stack, Text, Textarea } from "@mantine/core";
import { useId, useRef } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import type { FieldIssue } from "../preset-form-values";

interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The API's problems for this field; those with a position are shown at their line. */
  issues: FieldIssue[];
  minRows?: number;
}

/** The offset of (line, column) in text, both 1-based. */
function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
  return Math.min(text.length, offset + column - 1);
}

/** A Liquid template field: monospace, and each error shown with its line quoted and the column marked. */
export function TemplateEditor({ label, value, onChange, issues, minRows = 2 }: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const problemsId = useId();
  // A problem without a position (too long, say) is the field's message; positioned ones are quoted at their line below.
  const unplaced = issues.find((issue) => issue.line === undefined);

  const goTo = (line: number, column: number) => {
    const area = ref.current;
    if (!area) return;
    const at = offsetOf(area.value, line, column);
    area.focus();
    area.setSelectionRange(at, Math.min(area.value.length, at + 1));
  };

  return (
    <Stack gap={4}>
      <Textarea
        ref={ref}
        label={label}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        autosize
        minRows={minRows}
        maxRows={14}
        spellCheck={false}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        error={unplaced ? unplaced.message : issues.length > 0}
        aria-describedby={issues.length > 0 ? problemsId : undefined}
      />
      {issues.length > 0 && (
        <Stack gap={4} id={problemsId}>
          {issues
            .filter((issue) => issue.line !== undefined && issue.column !== undefined)
            .map((issue) => (
              <ProblemAtLine key={`${issue.line}:${issue.column}:${issue.message}`} text={value} issue={issue} onGo={goTo} />
            ))}
        </Stack>
      )}
    </Stack>
  );
}

function ProblemAtLine({ text, issue, onGo }: { text: string; issue: FieldIssue; onGo: (line: number, column: number) => void }) {
  const { t } = useI18n();
  const line = issue.line ?? 1;
  const column = issue.column ?? 1;
  const source = text.split("\n")[line - 1] ?? "";
  const gutter = `${line} | `;
  return (
    <Stack gap={2} p="xs" style={{ border: "1px solid var(--mantine-color-error)", borderRadius: "var(--mantine-radius-sm)" }}>
      <Text size="sm" c="var(--mantine-color-error)" fw={600}>
        {t.presets.editor.problemAt(line, column, issue.message)}
      </Text>
      <Code block aria-hidden="true" style={{ whiteSpace: "pre", overflowX: "auto" }}>
        {`${gutter}${source}\n${" ".repeat(gutter.length + Math.max(0, column - 1))}^`}
      </Code>
      <div>
        <Button size="compact-xs" variant="subtle" onClick={() => onGo(line, column)}>
          {t.presets.editor.goToLine(line)}
        </Button>
      </div>
    </Stack>
  );
}
