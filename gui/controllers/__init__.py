"""Small controllers, one job each: the fit's life cycle, the tour, sessions and recent files, export
and screenshots, talk mode. Each is tested against fakes (a fake fit process, fake views)."""
