{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "1LLwEi2DLtHEpDJB82PvPGtC/rJH0ilwS\u002BzCALeXFry79vyj/jHUK7QFwlnkEaNMzXia2uDj9R09M91moNy4Rg=="
}