import { Tabs, Title } from "@mantine/core";
import type { ReactNode } from "react";

export interface PageTab<T extends string> {
  value: T;
  label: string;
  content: ReactNode;
}

/** A page's sections as tabs, each panel headed by its label (h2); only the open tab is mounted. */
export function PageTabs<T extends string>({ label, tabs, current, onChange }: { label: string; tabs: PageTab<T>[]; current: T; onChange: (value: T) => void }) {
  return (
    <Tabs
      value={current}
      keepMounted={false}
      onChange={(value) => {
        const picked = tabs.find((tab) => tab.value === value);
        if (picked) onChange(picked.value);
      }}
    >
      <Tabs.List aria-label={label} mb="md">
        {tabs.map((tab) => (
          <Tabs.Tab key={tab.value} value={tab.value}>
            {tab.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {tabs.map((tab) => (
        <Tabs.Panel key={tab.value} value={tab.value}>
          <Title order={2} size="h3" mb="md">
            {tab.label}
          </Title>
          {tab.content}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
