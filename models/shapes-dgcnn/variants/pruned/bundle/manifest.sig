{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "TqDNcKBi0GcVJr1Owv8ugWjLMJimOasKy8r1KAUHh78dkqigu8/ebQW/sMN3k2WdXlSOlLIUef1Zqp0ffvjzoQ=="
}