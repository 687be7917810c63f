import { Badge, Table, Text } from "@mantine/core";
import type { ReactNode } from "react";

export interface ListColumn<T> {
  header: string;
  /** Read by screen readers only (a column of row actions). */
  hideHeader?: boolean;
  cell: (item: T) => ReactNode;
}

interface Props<T> {
  items: readonly T[];
  columns: readonly ListColumn<T>[];
  rowKey: (item: T) => string | number;
  /** Shown instead of an empty table; without it an empty list is an empty table. */
  empty?: string;
  minWidth?: number;
  striped?: boolean;
}

/** A striped, horizontally scrollable table of a list answer, or the list's empty text. */
export function ListTable<T>({ items, columns, rowKey, empty, minWidth = 400, striped = true }: Props<T>) {
  if (items.length === 0 && empty !== undefined) return <Text c="dimmed">{empty}</Text>;
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped={striped}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column.header}>{column.hideHeader ? <span className="visually-hidden">{column.header}</span> : column.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={rowKey(item)}>
              {columns.map((column) => (
                <Table.Td key={column.header}>{column.cell(item)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** On/off state of a template, preset or job, with its words. */
export function ActiveBadge({ active, on, off }: { active: boolean; on: string; off: string }) {
  return (
    <Badge color={active ? "green" : "gray"} variant="outline">
      {active ? on : off}
    </Badge>
  );
}
