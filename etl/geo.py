"""Straight-line distances on the Earth, the same formula as the SQL macro haversine_km."""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def haversine_km_between(lat1, lon1, lat2, lon2) -> np.ndarray:
    """`haversine_km` over numpy arrays that broadcast: e.g. every candidate city (a column)
    against every town hall (a row) in one call, instead of a Python loop over the pairs."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dlambda = np.radians(np.subtract(lon2, lon1))
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
