{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "x3lw\u002BeoRhFD3Xov1zW1XHxoBlhU2uHoDp/bIoE02bPIAXRRE\u002BJapAmckneAjUQMBK9wHYy8NF1B4JItMx5cU7w=="
}