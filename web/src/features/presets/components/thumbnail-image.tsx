import { Center, Image, Loader } from "@mantine/core";
import { type Thumbnail, useThumbnailImage } from "../api/thumbnails-queries";

/** A thumbnail fetched with the caller's token and shown from memory. */
export function ThumbnailImage({ thumbnail, height = 90 }: { thumbnail: Thumbnail; height?: number }) {
  const image = useThumbnailImage(thumbnail);
  const url = image.data;
  if (!url) {
    return (
      <Center h={height} bg="var(--mantine-color-default-hover)">
        {image.isPending && <Loader size="xs" aria-hidden="true" />}
      </Center>
    );
  }
  return <Image src={url} alt={thumbnail.name} h={height} fit="contain" bg="var(--mantine-color-default-hover)" />;
}
