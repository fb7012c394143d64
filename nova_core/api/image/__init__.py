"""The image API: the read part of Glance v2 over the image plugin."""
