{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "NdX/gl5YgHdvo\u002BqYnPk3Njntr7OqOBQ3gkLJSN7DTYs3XPChIav9LzkD0YHUzuHg2jGItWUxx0Sjpb9CH6G93w=="
}