{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "67V6FCUuS5K2QAtBu7F63qVdOnEzqgHVHnggmg/CP3d0a0JV4OLk75C122GKgVb8BgKNjdYlpcb173iQAraMmw=="
}