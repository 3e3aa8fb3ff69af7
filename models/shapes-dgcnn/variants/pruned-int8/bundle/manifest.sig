{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "PV/2jK/YH2woLV1FSyz4h\u002B5dnMLv5kikvWfR84vB8apP6\u002B/RHouCc5UTBkBiB2YqVCQkm7mRmQ6p/XS1iNq6dQ=="
}