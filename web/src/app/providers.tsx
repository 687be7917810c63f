import { Alert, createTheme, Notification, MantineProvider, type CSSVariablesResolver } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { I18nProvider } from "../i18n/i18n-provider";
import { queryClient } from "../lib/query-client";
import { router } from "./router";

// Shade 7 and a darker "dimmed": text and buttons keep a contrast ratio of at least 4.5 (WCAG AA).
// Alerts keep the body text colour for their message: the light variants' coloured text (green-6,
// red-6 …) on their tinted background stays under 4.5; the icon, border and title carry the colour.
const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: "md",
  components: {
    Alert: Alert.extend({ styles: { message: { color: "var(--mantine-color-text)" } } }),
    // Notifications shown without their own close label still get one (both languages: the theme
    // is static), and their message in the body text colour for the same contrast reason as Alert.
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { "aria-label": "Close · Закрыть" } },
      styles: { description: { color: "var(--mantine-color-text)" } },
    }),
  },
});
// Light and outline badges (statuses, run states, connection health) of the pale colours: their shade 9
// on its tint (green 3.8:1, teal 4.3, yellow 2.7) and their outline shade on white stay under 4.5, so
// their text is that shade darkened by black (≥ 5:1 for each).
const READABLE_TINTS = ["green", "teal", "yellow", "orange", "lime", "cyan"] as const;
const readableTints = Object.fromEntries(
  READABLE_TINTS.flatMap((c) => [
    [`--mantine-color-${c}-light-color`, `color-mix(in srgb, var(--mantine-color-${c}-9) 70%, black)`],
    [`--mantine-color-${c}-outline`, `color-mix(in srgb, var(--mantine-color-${c}-9) 70%, black)`],
  ]),
);
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  // FileInput and Select render their placeholder as text, which must meet 4.5 like any text.
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-error": "var(--mantine-color-red-8)",
    "--mantine-color-placeholder": "var(--mantine-color-gray-7)",
    // Active navigation links (light variant) stay readable on their hover background too.
    "--mantine-primary-color-light-color": "var(--mantine-color-indigo-9)",
    "--mantine-primary-color-light-hover": "var(--mantine-color-indigo-1)",
    ...readableTints,
  },
  dark: {},
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <I18nProvider>
        <QueryClientProvider client={queryClient}>
          <Notifications position="top-right" />
          <RouterProvider router={router} />
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>
  );
}
