{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "GCPF8y3mPopZD7socn9imBEG860aOzwptdUkQCfJfkIYcbpg6sa3Ben71Mza\u002BRXsDa6zq0zcuizgnvJMBbD5jA=="
}