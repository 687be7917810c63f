import { Mark, Text } from "@mantine/core";
import { parseSnippet } from "../snippet";

/** A search snippet as text, its matched words highlighted (never rendered as HTML). */
export function SearchSnippet({ snippet }: { snippet: string }) {
  return (
    <Text size="sm" component="p" m={0}>
      {parseSnippet(snippet).map((part, i) =>
        part.marked ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <Mark key={i}>{part.text}</Mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <span key={i}>{part.text}</span>
        ),
      )}
    </Text>
  );
}
