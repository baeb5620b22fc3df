"""A Leaflet map (react-leaflet from npm) with two circle markers: the job and the professional.

Circle markers need no icon images (Leaflet's default marker images break under Vite). Tiles
come from HSA_MAP_TILE_URL; when they cannot load (offline, blocked), `errorTileUrl` paints a
plain tile so the map degrades to a clean panel, and the distance/ETA card beside it carries
the information on its own.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from hsa.state.locale import t


class _ReactLeaflet(rx.NoSSRComponent):
    library = "react-leaflet@5.0.0"
    lib_dependencies: list[str] = ["leaflet@1.9.4"]


class MapContainer(_ReactLeaflet):
    tag = "MapContainer"
    center: rx.Var[list[float]]
    zoom: rx.Var[int]
    scroll_wheel_zoom: rx.Var[bool]

    def add_imports(self) -> dict[str, Any]:
        return {"": ["leaflet/dist/leaflet.css"]}


class TileLayer(_ReactLeaflet):
    tag = "TileLayer"
    url: rx.Var[str]
    attribution: rx.Var[str]
    error_tile_url: rx.Var[str]


class CircleMarker(_ReactLeaflet):
    tag = "CircleMarker"
    center: rx.Var[list[float]]
    radius: rx.Var[int]
    path_options: rx.Var[dict[str, Any]]


class Tooltip(_ReactLeaflet):
    tag = "Tooltip"
    permanent: rx.Var[bool]


def tracking_map(*, destination: rx.Var, professional: rx.Var, show_professional: rx.Var, tile_url: rx.Var,
                 attribution: rx.Var, key: rx.Var) -> rx.Component:
    """Job address (red) and professional (blue); centred on the job, 14 ≈ a few km across."""
    return rx.box(
        MapContainer.create(
            TileLayer.create(url=tile_url, attribution=attribution, error_tile_url="/tile-unavailable.png"),
            CircleMarker.create(Tooltip.create(t("pro.map_job_address"), permanent=True), center=destination, radius=9,
                                path_options={"color": "#c0392b", "fillOpacity": 0.6}),
            rx.cond(show_professional,
                    CircleMarker.create(Tooltip.create(t("pro.map_professional"), permanent=True), center=professional,
                                        radius=9, path_options={"color": "#1f6feb", "fillOpacity": 0.8})),
            center=destination, zoom=14, scroll_wheel_zoom=False, key=key,
            style={"height": "260px", "width": "100%"},
        ),
        class_name="map-box", width="100%", role="img", aria_label=t("pro.map_label"),
    )
