import { Button, Group } from '@mantine/core';

/** Previous/Next over the API's forward-only cursors: the caller keeps the cursors of earlier pages. */
export function CursorPager({
  cursors,
  nextCursor,
  onChange,
}: {
  cursors: string[];
  nextCursor: string | null;
  onChange: (cursors: string[]) => void;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" disabled={cursors.length === 0} onClick={() => onChange(cursors.slice(0, -1))}>
        Previous page
      </Button>
      <Button variant="default" disabled={!nextCursor} onClick={() => nextCursor && onChange([...cursors, nextCursor])}>
        Next page
      </Button>
    </Group>
  );
}
